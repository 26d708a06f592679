#!/usr/bin/env node
// Runs every compiled test file with Node's test runner: unit tests beside the code
// (dist/src/**), integration, HTTP and browser tests (dist/test/**).
import { spawnSync } from 'node:child_process'

const patterns = process.argv.slice(2)
const files = patterns.length > 0 ? patterns : ['dist/src/**/*.test.js', 'dist/test/**/*.test.js']
const result = spawnSync(
  process.execPath,
  [
    '--disable-warning=ExperimentalWarning',
    '--enable-source-maps',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=120000',
    ...files,
  ],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
