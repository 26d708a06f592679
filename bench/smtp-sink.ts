import { SMTPServer } from 'smtp-server'

/**
 * The fan-out bench's mail server: smtp-server on loopback in its own process, so the
 * SMTP conversation's cost on the receiving side does not share the sender's event loop.
 * It accepts every message, counts it, and reports the count when asked over IPC.
 */
let received = 0
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined)
    stream.on('end', () => {
      received += 1
      callback()
    })
  },
})
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.send?.({ type: 'ready', port })
})
process.on('message', (message) => {
  if (message === 'count') process.send?.({ type: 'count', received })
  if (message === 'stop') server.close(() => process.exit(0))
})
