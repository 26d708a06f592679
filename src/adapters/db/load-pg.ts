import type Pg from 'pg'

/**
 * pg, loaded when the first PostgreSQL connection is made rather than with the adapters:
 * a process on SQLite (the embedded default, `dateline ingest` into it) never needs it.
 */
export async function loadPg(): Promise<typeof Pg> {
  const { default: pg } = await import('pg')
  // int8 (bigint ids, count(*)) as JS numbers: ids stay far below 2^53.
  pg.types.setTypeParser(20, (value) => Number(value))
  return pg
}
