import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadJob, LoadMessage, LoadResult } from './load-client.js'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/** A forked autocannon process, warmed up and waiting for slices. */
export interface LoadClient {
  /** Runs one measured slice and resolves when it is over. */
  slice(): Promise<void>
  /** Resolves with the totals once the last slice is over. */
  result(): Promise<LoadResult>
  stop(): void
}

/** A load generator's process, started and waiting for its job. */
export interface IdleLoadClient {
  /** Sends the job; resolves once the generator has warmed up. */
  start(job: LoadJob): Promise<LoadClient>
  stop(): void
}

/**
 * Starts a load generator in its own process, so it has its own event loop (and, on a
 * 2-core machine, its own core) instead of the server's, and gives it its job later. A
 * bench whose server runs in the bench's own process forks its helpers before the server
 * starts: Node forks the whole process to start a child (libuv's fork, then exec), which
 * leaves every page the parent had write-protected, and the server then takes a page fault
 * on its first write to each one, its heap and page memory included. Forked from a server
 * holding some 300 MB, that was about two faults per uncached page for seconds (some 40 µs
 * of its CPU), an effect of the bench that a server in production, which forks nothing
 * while it serves, never has.
 */
export function forkLoadClient(): IdleLoadClient {
  const child = fork(here('./load-client.js'), [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return {
    start: (job) => driveLoadClient(child, job),
    stop: () => child.kill(),
  }
}

function driveLoadClient(child: ChildProcess, job: LoadJob): Promise<LoadClient> {
  const waiting = new Map<
    LoadMessage['type'],
    { resolve(message: LoadMessage): void; reject(error: Error): void }
  >()
  let finished = false
  const fail = (error: Error) => {
    for (const waiter of waiting.values()) waiter.reject(error)
    waiting.clear()
    child.kill()
  }
  const expect = <T extends LoadMessage['type']>(type: T) =>
    new Promise<Extract<LoadMessage, { type: T }>>((resolve, reject) => {
      waiting.set(type, {
        resolve: (message) => resolve(message as Extract<LoadMessage, { type: T }>),
        reject,
      })
    })
  child.on('message', (message: LoadMessage) => {
    if (message.type === 'failed') return fail(new Error(`load generator failed: ${message.error}`))
    if (message.type === 'done') finished = true
    const waiter = waiting.get(message.type)
    waiting.delete(message.type)
    waiter?.resolve(message)
  })
  child.on('error', fail)
  child.on('exit', (code) => {
    if (!finished) fail(new Error(`load generator exited with code ${code} before reporting`))
  })
  const ready = expect('ready')
  const done = expect('done')
  done.catch(() => undefined)
  child.send(job)
  return ready.then(() => ({
    slice() {
      const over = expect('slice-done')
      child.send('slice')
      return over.then(() => undefined)
    },
    result: () => done.then((message) => message.result),
    stop: () => child.kill(),
  }))
}

export interface StaticServer {
  origin: string
  /** CPU time (user + system) the baseline process has used so far, in microseconds. */
  cpuMicros(): Promise<number>
  stop(): void
}

/** The baseline's process, started and waiting for the bytes to serve. */
export interface IdleStaticServer {
  /** Sends it the file to serve; resolves once it listens. */
  serve(bodyFile: string, contentType: string): Promise<StaticServer>
  stop(): void
}

/**
 * Starts the node:http baseline's process now (see forkLoadClient for why early) and tells
 * it what to serve later; it runs in its own process, like the real server has its own.
 */
export function forkStaticServer(): IdleStaticServer {
  const child: ChildProcess = fork(here('./static-server.js'), [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return {
    serve: (bodyFile, contentType) => {
      const listening = listeningStaticServer(child)
      child.send({ bodyFile, contentType })
      return listening
    },
    stop: () => child.kill(),
  }
}

function listeningStaticServer(child: ChildProcess): Promise<StaticServer> {
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) =>
      resolve({
        origin: `http://127.0.0.1:${message.port}`,
        cpuMicros: () =>
          new Promise((answer) => {
            child.once('message', (reply: { cpuMicros: number }) => answer(reply.cpuMicros))
            child.send('cpu')
          }),
        stop: () => child.kill(),
      }),
    )
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`static server exited with code ${code} before listening`)))
  })
}
