/**
 * Migrations are listed by hand and imported statically, so they run under tsx and vitest
 * without knex scanning a folder for .js files. One list serves SQLite and PostgreSQL.
 */
import type { Knex } from 'knex';
import * as m001 from './001_ledger.ts';
import * as m002 from './002_lifecycle.ts';
import * as m003 from './003_last_match.ts';
import * as m004 from './004_realtime.ts';
import * as m005 from './005_reason_catalogue.ts';
import * as m006 from './006_writeback_status.ts';
import * as m007 from './007_replay_and_keyed_audit.ts';
import * as m008 from './008_run_completeness.ts';
import * as m009 from './009_live_indexes.ts';
import * as m010 from './010_period_close.ts';
import * as m011 from './011_run_count_owner.ts';
import * as m012 from './012_money_minor_units.ts';
import * as m013 from './013_shared_history_evidence.ts';
import * as m014 from './014_card_digest.ts';
import * as m015 from './015_evidence_lz4.ts';

export type Migration = { name: string } & Knex.Migration;

export const MIGRATIONS: Migration[] = [
  { name: '001_ledger', up: m001.up, down: m001.down },
  { name: '002_lifecycle', up: m002.up, down: m002.down },
  { name: '003_last_match', up: m003.up, down: m003.down },
  { name: '004_realtime', up: m004.up, down: m004.down },
  { name: '005_reason_catalogue', up: m005.up, down: m005.down },
  { name: '006_writeback_status', up: m006.up, down: m006.down },
  { name: '007_replay_and_keyed_audit', up: m007.up, down: m007.down },
  { name: '008_run_completeness', up: m008.up, down: m008.down },
  { name: '009_live_indexes', up: m009.up, down: m009.down },
  { name: '010_period_close', up: m010.up, down: m010.down },
  { name: '011_run_count_owner', up: m011.up, down: m011.down },
  { name: '012_money_minor_units', up: m012.up, down: m012.down },
  { name: '013_shared_history_evidence', up: m013.up, down: m013.down },
  { name: '014_card_digest', up: m014.up, down: m014.down },
  { name: '015_evidence_lz4', up: m015.up, down: m015.down },
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m,
};
