#!/usr/bin/env node
// The `dateline` command. The TypeScript sources compile to dist/ (npm run build).
import { existsSync } from 'node:fs'

const entry = new URL('../dist/src/main/cli.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write('dateline: not built yet; run "npm run build" first\n')
  process.exit(1)
}
process.removeAllListeners('warning')
process.on('warning', (warning) => {
  // node:sqlite is stable in use but still flagged experimental; say nothing about it.
  if (warning.name !== 'ExperimentalWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`)
})
await import(entry.href)
