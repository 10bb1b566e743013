/** Cross-file checks of the Sources rules. */
import nodeCron from 'node-cron';
import { CANONICAL_FIELDS, ITEM_FIELDS } from '../types.ts';
import type { FileDoc, Loaded, SourceDoc } from '../docs.ts';
import { quoteList, report, uniqueNames } from './context.ts';
import { an } from './rules.ts';
import { CHANNEL_ROLES, isChannelRole } from '../../model/types.ts';
import type { CheckContext } from './context.ts';
import type { DeclaredNames } from './declared.ts';

const POSITION_FIELDS = ['sku', 'location', 'status', 'quantity', 'unit', 'asOf'];
/** An events file names `location`, or `fromLocation` / `toLocation` for movement rows. */
const EVENT_PLACES = ['location', 'fromLocation', 'toLocation'];
const EVENT_FIELDS = CANONICAL_FIELDS.filter(
  (f) => !['status', 'asOf', ...ITEM_FIELDS.slice(1)].includes(f as string),
);
/** Which canonical fields each kind of file can carry. */
const FIELDS_BY_KIND: Record<FileDoc['kind'], readonly string[]> = {
  positions: POSITION_FIELDS,
  opening: POSITION_FIELDS,
  events: EVENT_FIELDS,
  items: ITEM_FIELDS,
};

const REQUIRED_FIELDS: Record<FileDoc['kind'], string[]> = {
  positions: ['sku', 'location', 'quantity', 'asOf'],
  opening: ['sku', 'location', 'quantity', 'asOf'],
  events: ['sourceEventId', 'type', 'sku', 'quantity', 'occurredAt'],
  items: ['sku', 'skuClass'],
};

export function checkSources(ctx: CheckContext, names: DeclaredNames): void {
  const docs = ctx.docs.Sources;
  const entries = docs.flatMap((at) =>
    at.doc.sources.map((s, i) => ({ at, segments: ['sources', i], name: s.id, what: 'source' })),
  );
  uniqueNames(ctx, entries);
  const groups = uniqueNames(
    ctx,
    docs.flatMap((at) =>
      (at.doc.schedules ?? []).map((s, i) => ({
        at,
        segments: ['schedules', i, 'group'],
        name: s.group,
        what: 'schedule group',
      })),
    ),
  );
  const paths = new Map<string, { source: string; kinds: Set<string> }>();
  for (const at of docs) {
    (at.doc.schedules ?? []).forEach((s, i) => {
      if (!nodeCron.validate(s.cron)) {
        report(
          ctx,
          at,
          ['schedules', i, 'cron'],
          'BAD_VALUE',
          `invalid cron expression "${s.cron}"`,
        );
      }
      if (s.timezone && !isTimeZone(s.timezone)) {
        report(
          ctx,
          at,
          ['schedules', i, 'timezone'],
          'BAD_VALUE',
          `unknown time zone "${s.timezone}"`,
        );
      }
    });
    at.doc.sources.forEach((s, i) => {
      checkSource(ctx, names, at, s, i, groups);
      (s.files ?? []).forEach((f, j) => {
        checkFile(ctx, names, at, s, f, ['sources', i, 'files', j]);
        // one file may be read in two roles (positions and events) by its own source only
        const other = paths.get(f.path);
        if (other && (other.source !== s.id || other.kinds.has(f.kind))) {
          const msg =
            other.source !== s.id
              ? `file "${f.path}" is already read by source "${other.source}"`
              : `file "${f.path}" is already read as ${f.kind} by source "${s.id}"`;
          report(ctx, at, ['sources', i, 'files', j, 'path'], 'DUPLICATE_NAME', msg);
        }
        const entry = other ?? { source: s.id, kinds: new Set<string>() };
        entry.kinds.add(f.kind);
        paths.set(f.path, entry);
      });
    });
  }
}

function checkSource(
  ctx: CheckContext,
  names: DeclaredNames,
  at: Loaded<'Sources'>,
  s: SourceDoc,
  i: number,
  groups: Set<string>,
): void {
  const here = ['sources', i];
  if (names.receivers && !names.receivers.has(s.owner)) {
    const msg = `owner "${s.owner}" is not a declared receiver (owners.yaml declares ${quoteList(names.receivers)})`;
    report(ctx, at, [...here, 'owner'], 'UNKNOWN_RECEIVER', msg);
  }
  if (ctx.knownConnectors && !ctx.knownConnectors.includes(s.connector)) {
    const msg = `unknown connector "${s.connector}" (available: ${quoteList(ctx.knownConnectors)})`;
    report(ctx, at, [...here, 'connector'], 'UNKNOWN_CONNECTOR', msg);
  }
  if (!isTimeZone(s.timezone)) {
    report(ctx, at, [...here, 'timezone'], 'BAD_VALUE', `unknown time zone "${s.timezone}"`);
  }
  if (groups.size > 0 && !groups.has(s.group)) {
    const msg = `schedule group "${s.group}" is not declared (schedules: ${quoteList(groups)})`;
    report(ctx, at, [...here, 'group'], 'UNKNOWN_SCHEDULE', msg);
  }
  if (names.statusMaps && !names.statusMaps.has(s.id)) {
    const msg = `source "${s.id}" has no status map (add statusMaps.${s.id} to a StatusMap file)`;
    report(ctx, at, [...here, 'id'], 'MISSING_STATUS_MAP', msg);
  }
  if (s.orderReferences && !isChannelRole(s.role)) {
    const msg = `orderReferences names a channel's orders: "${s.id}" is ${an(s.role)} source, not a channel (${CHANNEL_ROLES.join(', ')})`;
    report(ctx, at, [...here, 'orderReferences'], 'BAD_VALUE', msg);
  }
  s.locations.forEach((loc, k) => {
    if (names.locations && !names.locations.has(loc)) {
      report(ctx, at, [...here, 'locations', k], 'UNKNOWN_LOCATION', unknownLocation(loc));
    }
  });
}

function checkFile(
  ctx: CheckContext,
  names: DeclaredNames,
  at: Loaded<'Sources'>,
  s: SourceDoc,
  f: FileDoc,
  here: (string | number)[],
): void {
  const allowed = FIELDS_BY_KIND[f.kind];
  const known = (field: string) =>
    allowed.includes(field) ||
    (f.kind === 'items' &&
      ((field.startsWith('alias:') && (!names.sources || names.sources.has(field.slice(6)))) ||
        (field.startsWith('pack:') && field.length > 5)));
  for (const part of ['columns', 'constants'] as const) {
    for (const field of Object.keys(f[part] ?? {})) {
      if (known(field)) continue;
      const extra = f.kind === 'items' ? ', or alias:<source id>, pack:<unit>' : '';
      const msg = `unknown canonical field "${field}" for ${an(f.kind)} file (expected one of ${allowed.join(', ')}${extra})`;
      report(ctx, at, [...here, part, field], 'UNKNOWN_COLUMN', msg, true);
    }
  }
  // a field given as a column and as a constant is allowed: the constant fills empty cells
  const has = (field: string) => field in f.columns || field in (f.constants ?? {});
  const wide = (f.statusColumns ?? []).length > 0;
  const required = [...REQUIRED_FIELDS[f.kind]];
  if ((f.kind === 'positions' || f.kind === 'opening') && !wide) required.push('status');
  const missing = required.filter((field) => !(wide && field === 'quantity') && !has(field));
  if (f.kind === 'events' && !EVENT_PLACES.some(has)) missing.push('location');
  if (f.kind === 'items' && has('packUnit') !== has('packFactor'))
    missing.push(has('packUnit') ? 'packFactor' : 'packUnit');
  if (missing.length > 0) {
    const msg = `${an(f.kind)} file needs ${missing.map((m) => `"${m}"`).join(', ')} in columns or constants`;
    report(ctx, at, [...here, 'columns'], 'MISSING_COLUMN', msg);
  }
  const words = names.statusMaps?.get(s.id);
  (f.statusColumns ?? []).forEach((col, k) => {
    if (words && !words.has(col)) {
      const msg = `status column "${col}" is not in the status map of "${s.id}"`;
      report(ctx, at, [...here, 'statusColumns', k], 'UNKNOWN_STATUS', msg);
    }
  });
  const booksSomewhere = ctx.docs.Sources.some((d) =>
    (d.doc.systemsOfRecord ?? []).some(
      (e) => e.source === s.id && e.domain === 'physical_movements',
    ),
  );
  if (f.signedQuantity && f.kind !== 'events') {
    const msg = 'signedQuantity applies only to events files (positions are always signed)';
    report(ctx, at, [...here, 'signedQuantity'], 'BAD_VALUE', msg);
  }
  if (f.kind === 'opening' && !s.systemOfRecord.includes('physical_movements') && !booksSomewhere) {
    const msg = `an opening file is only read from a system of record for physical_movements`;
    report(ctx, at, [...here, 'kind'], 'BAD_VALUE', msg);
  }
  const unit = f.constants?.unit;
  if (unit !== undefined && names.units && !names.units.has(unit)) {
    const msg = `unknown unit "${unit}" (declared in units.yaml: ${quoteList(names.units)})`;
    report(ctx, at, [...here, 'constants', 'unit'], 'UNKNOWN_UNIT', msg);
  }
}

export function unknownLocation(id: string): string {
  return `unknown location "${id}" (not declared in the Mappings locations)`;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
