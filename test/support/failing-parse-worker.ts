import { parentPort } from 'node:worker_threads'

// A parse worker that dies on the first documents it is sent, as one would on a fatal
// error: the pool must parse them, and every later one, on its own thread.
parentPort?.once('message', () => process.exit(3))
