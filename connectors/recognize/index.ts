/**
 * `tally init`'s engine room: recognize every file of a folder of exports and propose a rules
 * folder that validates and runs as it is, with what was guessed and what is left to decide.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Found, Sighting } from './types.ts';
import { KIND_LABEL } from './types.ts';
import { sniffFile } from './sniff.ts';
import { emptyPlan } from './plan.ts';
import type { Plan } from './plan.ts';
import { proposeErpnext } from './propose-erpnext.ts';
import { proposeDelimited } from './propose-own.ts';
import { proposeFba, proposeShopify, proposeX12 } from './propose-partners.ts';
import type { CanRead } from './propose-partners.ts';
import { settle } from './settle.ts';
import { renderRules } from './render.ts';
import { makeDateParser } from '../shared/dates.ts';
import { column, distinct } from './table.ts';
import type { Table } from './table.ts';

export type { Plan } from './plan.ts';
export type { Found } from './types.ts';
export { KIND_LABEL } from './types.ts';

const MAX_FILES = 2000;

/**
 * Every regular file under `dir` (no symlinks, no hidden entries, none under a folder of
 * `skip`, relative paths), relative, sorted.
 */
export async function listFiles(
  dir: string,
  rel = '',
  skip: readonly string[] = [],
): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (e.name.startsWith('.')) continue;
    const child = rel ? `${rel}/${e.name}` : e.name;
    const info = await lstat(path.join(dir, child));
    if (info.isDirectory()) {
      if (!skip.includes(child)) out.push(...(await listFiles(dir, child, skip)));
    } else if (info.isFile()) out.push(child);
    if (out.length >= MAX_FILES) break;
  }
  return out;
}

export async function recognizeFolder(dir: string, skip: readonly string[] = []): Promise<Found[]> {
  const files = await listFiles(dir, '', skip);
  // one at a time: each holds up to its 16 MiB sample while it is looked at
  const found: Found[] = [];
  for (const f of files) found.push(await sniffFile(path.join(dir, f), f));
  return found;
}

const FAMILY: Record<Found['kind'], string> = {
  'erpnext-sle': 'erpnext',
  'erpnext-bin': 'erpnext',
  'erpnext-item': 'erpnext',
  'positions-csv': 'wms',
  'movements-csv': 'wms',
  x12: '3pl',
  'fba-inventory': 'amazon',
  'fba-ledger': 'amazon',
  'shopify-graphql': 'shopify',
  unknown: 'unknown',
};

/** A file's source: the folder it sits in (one folder per system), else its family. */
export function sourceIdOf(f: Found): string {
  const top = f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : '';
  const id = top.replace(/[^A-Za-z0-9._:-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return id || FAMILY[f.kind];
}

const ISO_ISH = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;

/** Date orders spreadsheets and ERPs write, each with a time to the second, the minute, or none. */
const DATE_ORDERS = [
  'dd.MM.yyyy',
  'dd/MM/yyyy',
  'MM/dd/yyyy',
  'dd-MM-yyyy',
  'yyyy/MM/dd',
  'yyyy.MM.dd',
];
const DATE_PATTERNS = DATE_ORDERS.flatMap((d) => [`${d} HH:mm:ss`, `${d} HH:mm`, d]);
/** Values a pattern must read, at most (a file's distinct times). */
const DATE_SAMPLES = 2_000;

function dateFormat(plan: Plan) {
  return (t: Table, col: string) => {
    const values = distinct(t, column(t, col)).slice(0, DATE_SAMPLES);
    const sample = values[0] ?? '';
    if (ISO_ISH.test(sample)) return undefined;
    const { pattern, orders } = datePatternOf(values);
    if (pattern) {
      plan.report.guessed.push(`column ${col}: times like "${sample}" read as ${pattern}`);
      return pattern;
    }
    plan.report.decide.push(
      orders.length > 1
        ? `column ${col}: times like "${sample}" read as ${orders.join(' and as ')} alike (no day above 12): say which, as dateFormat`
        : `column ${col}: times like "${sample}" need a dateFormat pattern`,
    );
    return undefined;
  };
}

/**
 * The one pattern of DATE_PATTERNS that reads every value, or none: several date orders that
 * read them all (05/11/2026: 5 November or May 11) are returned to be asked, never guessed.
 */
export function datePatternOf(values: string[]): { pattern?: string; orders: string[] } {
  if (values.length === 0) return { orders: [] };
  const readers = DATE_PATTERNS.map((p) => ({ p, read: makeDateParser(p, 'UTC') }));
  const fits = readers.filter(({ read }) => values.every((v) => read(v) !== undefined));
  const orders = [...new Set(fits.map(({ p }) => p.split(' ')[0]!))];
  return orders.length === 1 ? { pattern: fits[0]!.p, orders } : { orders };
}

/** "…_2026-11-23T0400Z.txt" → 2026-11-23T04:00:00Z; undefined when the name holds no date. */
export function asOfFromName(file: string): string | undefined {
  const m = /(20\d\d)-?(\d\d)-?(\d\d)(?:T(\d\d)[:-]?(\d\d))?/.exec(path.basename(file));
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00'] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:00Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

export type Proposal = { plan: Plan; found: Found[]; files: Record<string, string> };

export async function proposeRules(
  dataDir: string,
  /** `skip`: folders under `dataDir` (relative) that hold no exports, such as the rules being written. */
  opts: { timezone: string; canRead: CanRead; skip?: readonly string[] },
): Promise<Proposal> {
  const found = await recognizeFolder(dataDir, opts.skip);
  const plan = emptyPlan(opts.timezone);
  const sightings: Sighting[] = [];
  let latest = '';
  const ordered = [...found].sort((a, b) => order(a) - order(b));
  for (const f of ordered) {
    const id = sourceIdOf(f);
    if (f.kind === 'unknown') {
      plan.report.decide.push(`${f.path}: not read (${f.reason})`);
      continue;
    }
    // a large file is proposed from its first rows: a word seen only further down is not in it
    const sample =
      'table' in f && f.table.sampled
        ? ` (proposed from its first ${f.table.rows.length.toLocaleString('en-US')} rows: a status, unit or type word seen only below them is named by the first run)`
        : '';
    plan.report.recognized.push(`${f.path}: ${KIND_LABEL[f.kind]} → source ${id}${sample}`);
    if (f.kind === 'erpnext-sle' || f.kind === 'erpnext-item' || f.kind === 'erpnext-bin') {
      latest = latestOf(latest, sightings, found);
      const at = latest;
      proposeErpnext(plan, id, f, sightings, () => `${at.replace(' ', 'T')}:00`, asOfFromName);
    } else if (f.kind === 'positions-csv' || f.kind === 'movements-csv')
      proposeDelimited(plan, id, f, sightings, dateFormat(plan), (file) => {
        const named = asOfFromName(file);
        if (named) return { at: named, from: 'the date in its name' };
        latest = latestOf(latest, sightings, found);
        return { at: `${latest.replace(' ', 'T')}:00`, from: 'the latest time in the folder' };
      });
    else if (f.kind === 'x12') proposeX12(plan, id, f, sightings);
    else if (f.kind === 'fba-inventory' || f.kind === 'fba-ledger')
      proposeFba(plan, id, f, asOfFromName);
    else proposeShopify(plan, id, f, opts.canRead, asOfFromName);
  }
  openings(plan);
  settle(plan, sightings);
  return { plan, found, files: renderRules(plan) };
}

/** Items first (units and aliases), the Bin last (its as-of is the latest time seen). */
function order(f: Found): number {
  return f.kind === 'erpnext-item' ? 0 : f.kind === 'erpnext-bin' ? 2 : 1;
}

function latestOf(current: string, sightings: Sighting[], found: Found[]): string {
  let latest = current;
  for (const s of sightings) if (s.at > latest) latest = s.at;
  for (const f of found) {
    if (f.kind !== 'positions-csv') continue;
    const get = column(f.table, 'snapshot_at', 'as_of', 'asof', 'snapshot_time', 'counted_at');
    for (const r of get ? f.table.rows : [])
      if (get!(r).slice(0, 16) > latest) latest = get!(r).slice(0, 16);
  }
  return latest || '1970-01-01 00:00';
}

/** A system of record's earliest snapshot, when it has later ones and movements, is the opening. */
function openings(plan: Plan): void {
  for (const s of plan.sources) {
    if (!s.systemOfRecord.includes('physical_movements') || !s.files) continue;
    const snaps = s.files.filter((f) => f.kind === 'positions');
    if (snaps.length < 2 || !s.files.some((f) => f.kind === 'events')) continue;
    const first = [...snaps].sort((a, b) => a.path.localeCompare(b.path))[0]!;
    first.kind = 'opening';
    plan.report.guessed.push(
      `${first.path}: the earliest of ${snaps.length} snapshots of ${s.id}, read as its opening balance`,
    );
  }
}
