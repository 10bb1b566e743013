/**
 * Lookup tables built once from the ruleset: who is the system of record where, which buckets
 * each source can report, status words → bucket ids. Everything the hot path needs as maps.
 */
import type { Ruleset, SourceDef } from '../rules/types.ts';
import { isChannelRole, type Bucket } from '../model/types.ts';
import { bucketId } from '../model/keys.ts';
import { booksOf } from '../rules/books.ts';
import { anyGlob } from '../rules/glob.ts';

const RECORDER_ROLES = new Set(['erp', 'wms', '3pl', 'pos']);

/** -1 marks an 'ignore' status (a derived total such as Shopify on_hand). */
export const IGNORE = -1;

export type SourceTables = {
  def: SourceDef;
  index: number;
  statuses: Map<string, number>;
  /** Same, keyed by lower-case word: systems differ in case for the same status. */
  statusesLower: Map<string, number>;
  /** Bucket ids this source can report (from its status map). */
  buckets: Set<number>;
  isChannel: boolean;
  /** Whether a reference names one of a channel's orders (`orderReferences`); undefined: none. */
  orders: ((reference: string) => boolean) | undefined;
};

export type Context = {
  ruleset: Ruleset;
  sources: SourceTables[];
  sourceIndex: Map<string, number>;
  /** compare-level location id → index of its system of record for physical movements. */
  systemOfRecord: Map<string, number>;
  /**
   * compare-level location id → indexes of the sources that record its physical movements
   * (erp, wms, 3pl, pos): whichever of them is the book, the others must show its movements.
   */
  recorders: Map<string, number[]>;
  /** compare-level location id → indexes of channel sources (ecommerce, marketplace). */
  channelSources: Map<string, number[]>;
};

function statusTable(ruleset: Ruleset, source: string) {
  const statuses = new Map<string, number>();
  const buckets = new Set<number>();
  for (const [word, target] of ruleset.statusMaps.get(source) ?? []) {
    const id = target === 'ignore' ? IGNORE : bucketId(target as Bucket);
    statuses.set(word, id);
    if (id !== IGNORE) buckets.add(id);
  }
  const statusesLower = new Map([...statuses].map(([w, id]) => [w.toLowerCase(), id]));
  return { statuses, statusesLower, buckets };
}

function addTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildContext(ruleset: Ruleset): Context {
  const sources: SourceTables[] = [];
  const sourceIndex = new Map<string, number>();
  const systemOfRecord = new Map<string, number>();
  const recorders = new Map<string, number[]>();
  const channelSources = new Map<string, number[]>();
  const books = booksOf(ruleset).get('physical_movements') ?? new Map<string, string>();
  for (const def of ruleset.sources.values()) {
    const index = sources.length;
    const isChannel = isChannelRole(def.role);
    const orders = def.orderReferences?.length ? anyGlob(def.orderReferences) : undefined;
    sources.push({ def, index, ...statusTable(ruleset, def.id), isChannel, orders });
    sourceIndex.set(def.id, index);
    for (const loc of def.locations) {
      if (RECORDER_ROLES.has(def.role)) addTo(recorders, loc, index);
      if (isChannel) addTo(channelSources, loc, index);
    }
  }
  for (const [loc, source] of books) {
    const index = sourceIndex.get(source);
    if (index !== undefined) systemOfRecord.set(loc, index);
  }
  return { ruleset, sources, sourceIndex, systemOfRecord, recorders, channelSources };
}

/** Status word → bucket id (or IGNORE); case-insensitive fallback; undefined when unknown. */
export function statusBucket(tables: SourceTables, word: string): number | undefined {
  return tables.statuses.get(word) ?? tables.statusesLower.get(word.toLowerCase());
}
