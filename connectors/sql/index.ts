/**
 * `sql`: positions and movements read from an ERP database through knex, by a ready-made
 * query set (ERPNext, Odoo) or the deployment's own SQL. Read-only; incremental on events
 * through a keyset cursor (ERPNext: creation, name; Odoo: date, id; custom: its `cursor`).
 */
import type { Connector, ReadContext, ReadResult, Sink } from '../types.ts';
import { InputError } from '../../engine/core/errors.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import { openDb } from './db.ts';
import { erpnextEvents, erpnextPositions } from './erpnext.ts';
import { odooEvents, odooPositions } from './odoo.ts';
import { customEvents, customPositions } from './custom.ts';
import { createOut } from './out.ts';
import type { EventCursor, QuerySet } from './query-set.ts';
import { checkSqlSettings, connectionUrl, parseSqlSettings } from './settings.ts';
import type { QuerySetName } from './settings.ts';

export const QUERY_SET_IMPLS: Record<QuerySetName, QuerySet> = {
  erpnext: { positions: erpnextPositions, events: erpnextEvents },
  odoo: { positions: odooPositions, events: odooEvents },
  custom: { positions: customPositions, events: customEvents },
};

type CursorState = { v: 1; querySet: QuerySetName; after: EventCursor };

function parseCursor(
  source: SourceDef,
  querySet: QuerySetName,
  cursor?: string,
): EventCursor | undefined {
  if (!cursor) return undefined;
  let state: CursorState;
  try {
    state = JSON.parse(cursor) as CursorState;
  } catch {
    throw new InputError(
      'SQL_BAD_CURSOR',
      `source ${source.id}: the saved cursor is not one this connector wrote`,
    );
  }
  // a cursor from another query set would skip rows of this one
  if (state.v !== 1 || state.querySet !== querySet || !Array.isArray(state.after)) return undefined;
  return state.after;
}

async function read(ctx: ReadContext, sink: Sink): Promise<ReadResult> {
  const settings = parseSqlSettings(ctx.source);
  const url = connectionUrl(ctx.source, settings);
  const set = QUERY_SET_IMPLS[settings.querySet];
  const after = parseCursor(ctx.source, settings.querySet, ctx.cursor);
  const db = await openDb(settings, url);
  const out = createOut(sink, ctx.asOf, ctx.source.id);
  const q = { source: ctx.source, readAt: new Date().toISOString() };
  try {
    await set.positions(db, q, out);
    const next = await set.events(db, q, out, after);
    const cursor: CursorState | undefined = next
      ? { v: 1, querySet: settings.querySet, after: next }
      : undefined;
    return { files: out.summaries(), cursor: cursor ? JSON.stringify(cursor) : ctx.cursor };
  } finally {
    await db.knex.destroy();
  }
}

export const sqlConnector: Connector = {
  id: 'sql',
  displayName: 'SQL database (ERPNext, Odoo, custom queries)',
  checkSettings: checkSqlSettings,
  read,
};
