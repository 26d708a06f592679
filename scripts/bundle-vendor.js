#!/usr/bin/env node
// Bundles Kysely into one file, dist/vendor/kysely.js, which the code imports as '#kysely'
// (package.json "imports"). Kysely ships some 260 ES modules; Node resolves, reads and links
// each one, which took 130 ms of every process's start (the server, each CLI command, each
// test file), against 25 ms for the same code in one file. Skipped when the bundle is of the
// installed version already.
import { existsSync, readFileSync } from 'node:fs'
import { build } from 'rolldown'

const OUTPUT = 'dist/vendor/kysely.js'
const { version } = JSON.parse(readFileSync('node_modules/kysely/package.json', 'utf8'))
const banner = `// Kysely ${version}, bundled by scripts/bundle-vendor.js; do not edit.`

if (!existsSync(OUTPUT) || !readFileSync(OUTPUT, 'utf8').startsWith(banner)) {
  await build({
    input: 'kysely',
    platform: 'node',
    logLevel: 'warn',
    output: { file: OUTPUT, format: 'esm', banner, sourcemap: false },
  })
}
