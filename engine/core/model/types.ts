/**
 * The canonical model. Quantities are integers in the item's base unit; times are ISO-8601
 * strings in UTC (`2026-11-20T14:00:00.000Z`), compared as strings only after normalization.
 */
export const BUCKETS = ['sellable', 'committed', 'non_sellable', 'in_transit'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const SYSTEM_ROLES = [
  'erp',
  'wms',
  'ecommerce',
  'marketplace',
  'pos',
  '3pl',
  'carrier',
] as const;
export type SystemRole = (typeof SYSTEM_ROLES)[number];

/** The sales channels: the roles whose stock is what they offer, and whose orders the books ship. */
export const CHANNEL_ROLES: readonly SystemRole[] = ['ecommerce', 'marketplace'];
export const isChannelRole = (role: string): boolean =>
  (CHANNEL_ROLES as readonly string[]).includes(role);

export const DOMAINS = [
  'item_master',
  'physical_movements',
  'financial_postings',
  'channel_availability',
] as const;
export type Domain = (typeof DOMAINS)[number];

export const EVENT_TYPES = [
  'receipt',
  'putaway',
  'pick',
  'shipment',
  'transfer_out',
  'transfer_in',
  'return',
  'adjustment',
  'cycle_count',
  'reservation',
  'release',
  'status_change',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where a raw record came from, for rejects files and evidence. */
export type Origin = { file: string; line: number };

/**
 * A position as a connector reads it: source vocabulary (alias, location code, raw status,
 * unit), not yet normalized. Connectors parse vendor shapes into this, nothing more.
 */
export type RawPosition = {
  source: string;
  sku: string;
  location: string;
  status: string;
  quantity: number;
  unit?: string;
  asOf: string;
  origin?: Origin;
};

/** A movement as a connector reads it; quantity is positive in `unit`. */
export type RawEvent = {
  source: string;
  sourceEventId: string;
  type: EventType;
  sku: string;
  location: string;
  /** Raw status the quantity leaves (e.g. "available"); absent when it comes from outside. */
  fromStatus?: string;
  /** Raw status the quantity enters; absent when it goes outside. */
  toStatus?: string;
  /** Counterpart location code for transfers. */
  counterpartLocation?: string;
  quantity: number;
  unit?: string;
  occurredAt: string;
  recordedAt?: string;
  reference?: string;
  /**
   * The other system's reference for this movement, as this source records it (ERPNext's
   * `against_voucher`, a remark naming the WMS task): a crosswalk may pair by it.
   */
  counterpartReference?: string;
  reasonCode?: string;
  origin?: Origin;
};

/** Item master row: attributes the rules use (class, category, unit cost). */
export type Item = {
  sku: string;
  skuClass: string;
  category?: string;
  baseUnit?: string;
  /**
   * Cost of one base unit as exact decimal text in the rules' currency ("214.06",
   * "12.345678"): read from the file's text, never through a binary float.
   */
  unitCost?: string;
  /** Per-source aliases of this sku (source id → alias), from the item master. */
  aliases?: Record<string, string>;
  /**
   * Pack sizes from the item master: unit (case, inner, …) → base units in one of it. They
   * win over the rules' conversions for this sku; a disagreement is a UNIT_CONFLICT finding.
   */
  packs?: Record<string, number>;
  /** The source whose item master listed it. */
  source?: string;
  /** Where the item's (last) row was read. */
  origin?: Origin;
};

/** A normalized position: canonical sku, location at its mapped level, bucket, base units. */
export type Position = {
  source: string;
  sku: string;
  location: string;
  bucket: Bucket;
  quantity: number;
  rawStatus: string;
  asOf: string;
  origin?: Origin;
};

/** An outside account: quantity that enters or leaves the network of (location, bucket). */
export type OutsideAccount = 'supplier' | 'customer' | 'shrinkage' | 'found' | 'adjustment';

export type Account =
  | { kind: 'stock'; location: string; bucket: Bucket }
  | { kind: 'outside'; account: OutsideAccount };

/** A normalized movement event. Double entry: quantity leaves `from` and enters `to`. */
export type MovementEvent = {
  source: string;
  sourceEventId: string;
  type: EventType;
  sku: string;
  from: Account;
  to: Account;
  quantity: number;
  rawFromStatus?: string;
  rawToStatus?: string;
  occurredAt: string;
  recordedAt: string;
  reference?: string;
  reasonCode?: string;
  origin?: Origin;
  /** The other system's record of this movement, when paired without equal references. */
  pairedWith?: {
    source: string;
    sourceEventId: string;
    method: 'crosswalk' | 'amendment' | 'counterpart' | 'proximity';
  };
};

/** A normalization problem: the row is kept out of the ledger and reported. */
export type NormalizationFinding = {
  code:
    | 'UOM_ROUNDING'
    | 'UNKNOWN_STATUS'
    | 'UNKNOWN_SKU'
    | 'UNKNOWN_LOCATION'
    | 'UNKNOWN_UNIT'
    | 'UNIT_CONFLICT';
  source: string;
  message: string;
  origin?: Origin;
  sku?: string;
  location?: string;
};
