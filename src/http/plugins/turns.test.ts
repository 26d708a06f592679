import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'
import { describe, it } from 'node:test'
import { Turns } from './turns.js'

/** Keeps the processor busy, as a page render does, without yielding to the event loop. */
function busyFor(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spinning
  }
}

describe('turns', () => {
  it('gives turns in the order they were asked for, each after the one before has finished', async () => {
    const turns = new Turns()
    const log: string[] = []
    await Promise.all(
      ['first', 'second', 'third'].map(async (name) => {
        await turns.take()
        log.push(`${name} starts`)
        await Promise.resolve()
        log.push(`${name} ends`)
      }),
    )
    assert.deepEqual(log, [
      'first starts',
      'first ends',
      'second starts',
      'second ends',
      'third starts',
      'third ends',
    ])
  })

  it('looks at the network between turns, so work that arrives during one turn queues behind work already waiting', async () => {
    const turns = new Turns()
    const log: string[] = []
    const server = createServer()
    await once(server.listen(0, '127.0.0.1'), 'listening')
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1')
    const [serverSide] = (await once(server, 'connection')) as [Socket]
    await once(client, 'connect')
    const arrived = new Promise<void>((resolve) => {
      serverSide.once('data', () => {
        log.push('request arrives')
        void turns.take().then(() => {
          log.push('late request')
          resolve()
        })
      })
    })
    await Promise.all([
      turns.take().then(() => {
        log.push('first request')
        // A request comes in while this one is being served.
        client.write('GET /')
        busyFor(20)
      }),
      turns.take().then(() => log.push('second request')),
      arrived,
    ])
    client.destroy()
    server.close()
    assert.deepEqual(log, ['first request', 'request arrives', 'second request', 'late request'])
  })
})
