import { sql, type Kysely } from '#kysely'
import type { MigrationContext } from './migration-context.js'

/**
 * Reader search: a full-text index of published stories (headline, key points and
 * topics, body text), kept by a consumer of the event log. SQLite uses FTS5 with the
 * story id as rowid; PostgreSQL a table with a weighted tsvector under a GIN index. The
 * cursor starts at 0, so the first run indexes every story already published.
 */
export function searchMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (ctx.dialect === 'postgres') {
        await sql`create table article_search (
          article_id bigint primary key references article (id) on delete cascade,
          headline text not null,
          summary text not null,
          body text not null,
          document tsvector generated always as (
            setweight(to_tsvector('simple', headline), 'A') ||
            setweight(to_tsvector('simple', summary), 'B') ||
            setweight(to_tsvector('simple', body), 'C')
          ) stored
        )`.execute(db)
        await sql`create index article_search_document on article_search using gin (document)`.execute(db)
      } else {
        await sql`create virtual table article_search using fts5(
          headline, summary, body, tokenize = 'unicode61 remove_diacritics 2'
        )`.execute(db)
      }
      await sql`insert into event_cursor (consumer, last_event_id) values ('search-index', 0)`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`delete from event_cursor where consumer = 'search-index'`.execute(db)
      await sql`drop table article_search`.execute(db)
    },
  }
}
