import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  authenticate,
  changeUser,
  createApiToken,
  createUser,
  endSession,
  findActorBySession,
  findActorByToken,
  SESSION_LIFETIME_MS,
  startSession,
} from '../../../src/modules/auth/index.js'
import { AppError } from '../../../src/platform/app-error.js'
import {
  aContributor,
  anEditor,
  createTestContext,
  TEST_PASSWORD,
  type TestContext,
} from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the call to be refused')
}

forEachDialect('staff authentication', (dialect) => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext(dialect)
  })
  after(() => ctx.destroy())

  it('signs in with the right password, whatever the case and spacing of the email', async () => {
    const editor = await anEditor(ctx, { email: 'night.editor@newsroom.test' })
    const user = await authenticate(ctx.auth, '  Night.Editor@Newsroom.TEST ', TEST_PASSWORD)
    assert.equal(user.id, editor.userId)
    assert.equal(user.role, 'editor')
    assert.equal('passwordHash' in user, false)
  })

  it('gives the same UNAUTHENTICATED error for an unknown email and for a wrong password', async () => {
    await anEditor(ctx, { email: 'sports.desk@newsroom.test' })
    const unknown = await rejection(authenticate(ctx.auth, 'nobody@newsroom.test', TEST_PASSWORD))
    const wrong = await rejection(
      authenticate(ctx.auth, 'sports.desk@newsroom.test', 'not-the-right-password'),
    )
    assert.equal(unknown.code, 'UNAUTHENTICATED')
    assert.equal(wrong.code, 'UNAUTHENTICATED')
    assert.equal(unknown.message, wrong.message)
  })

  it('refuses a disabled user with the same error as a wrong password, and ends their sessions', async () => {
    const reporter = await aContributor(ctx, { email: 'departed@newsroom.test' })
    const { sessionId } = await startSession(ctx.auth, reporter.userId)
    await changeUser(ctx.auth, reporter.userId, { disabled: true })
    const error = await rejection(authenticate(ctx.auth, 'departed@newsroom.test', TEST_PASSWORD))
    assert.equal(error.code, 'UNAUTHENTICATED')
    assert.equal(error.message, 'Email or password is incorrect')
    assert.equal(await findActorBySession(ctx.auth, sessionId), undefined)
  })

  it('stores the password only as a salted scrypt hash', async () => {
    const editor = await anEditor(ctx)
    const row = await ctx.handle.db
      .selectFrom('user')
      .select('password_hash')
      .where('id', '=', editor.userId)
      .executeTakeFirstOrThrow()
    assert.match(row.password_hash, /^scrypt\$/)
    assert.equal(row.password_hash.includes(TEST_PASSWORD), false)
  })

  it('names every bad field of a new user at once, and refuses a second account for an email', async () => {
    const error = await rejection(
      createUser(ctx.auth, { email: 'not-an-email', role: 'owner', password: 'short' }),
    )
    assert.equal(error.code, 'INVALID_INPUT')
    assert.deepEqual(error.details?.problems?.map((p) => p.field).sort(), ['email', 'password', 'role'])
    await anEditor(ctx, { email: 'duplicate@newsroom.test' })
    assert.equal((await rejection(anEditor(ctx, { email: 'DUPLICATE@newsroom.test' }))).code, 'CONFLICT')
  })

  it('finds the actor behind a session until the session expires', async () => {
    const editor = await anEditor(ctx)
    const { sessionId, expiresAt } = await startSession(ctx.auth, editor.userId)
    assert.deepEqual(expiresAt, new Date(ctx.clock.now().getTime() + SESSION_LIFETIME_MS))
    const actor = await findActorBySession(ctx.auth, sessionId)
    assert.deepEqual(
      { userId: actor?.userId, role: actor?.role, via: actor?.via },
      { userId: editor.userId, role: 'editor', via: 'session' },
    )

    ctx.clock.advance(SESSION_LIFETIME_MS - 1000)
    assert.equal((await findActorBySession(ctx.auth, sessionId))?.userId, editor.userId)
    ctx.clock.advance(1000)
    assert.equal(await findActorBySession(ctx.auth, sessionId), undefined)
  })

  it('forgets a session once it is ended, and knows no made-up session id', async () => {
    const editor = await anEditor(ctx)
    const { sessionId } = await startSession(ctx.auth, editor.userId)
    await endSession(ctx.auth, sessionId)
    assert.equal(await findActorBySession(ctx.auth, sessionId), undefined)
    assert.equal(await findActorBySession(ctx.auth, 'made-up-session-id'), undefined)
  })

  it('stores session ids only as hashes', async () => {
    const editor = await anEditor(ctx)
    const { sessionId } = await startSession(ctx.auth, editor.userId)
    const rows = await ctx.handle.db.selectFrom('session').selectAll().execute()
    assert.ok(rows.length > 0)
    assert.equal(JSON.stringify(rows).includes(sessionId), false)
  })

  it('finds the actor behind an API token, and stores the token only as a hash', async () => {
    const editor = await anEditor(ctx)
    const { token } = await createApiToken(ctx.auth, editor.userId, 'Wire importer')
    const actor = await findActorByToken(ctx.auth, token)
    assert.deepEqual({ userId: actor?.userId, via: actor?.via }, { userId: editor.userId, via: 'token' })

    const rows = await ctx.handle.db.selectFrom('api_token').selectAll().execute()
    const dump = JSON.stringify(rows)
    assert.ok(dump.includes('Wire importer'))
    assert.equal(dump.includes(token), false)
    assert.equal(dump.includes(token.slice('dl_'.length)), false)
  })

  it('refuses a made-up token and the token of a disabled user', async () => {
    const contributor = await aContributor(ctx)
    const { token } = await createApiToken(ctx.auth, contributor.userId, 'Laptop script')
    assert.equal(await findActorByToken(ctx.auth, 'dl_made-up-token'), undefined)
    await changeUser(ctx.auth, contributor.userId, { disabled: true })
    assert.equal(await findActorByToken(ctx.auth, token), undefined)
  })

  it('refuses a token for a user who does not exist', async () => {
    assert.equal((await rejection(createApiToken(ctx.auth, 987_654, 'Orphan'))).code, 'NOT_FOUND')
  })
})
