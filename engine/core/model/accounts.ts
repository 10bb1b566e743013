/**
 * Accounts as integers: stock (location, bucket) = location × 4 + bucket, outside accounts
 * negative. Which accounts a movement type moves between is decided here, once.
 */
import type { Account, EventType, OutsideAccount } from './types.ts';
import { BUCKET_COUNT, bucketOf } from './keys.ts';
import type { Interner } from './intern.ts';

export const OUTSIDE: OutsideAccount[] = [
  'supplier',
  'customer',
  'shrinkage',
  'found',
  'adjustment',
];
const outsideCode = (a: OutsideAccount): number => -1 - OUTSIDE.indexOf(a);

export const SUPPLIER = outsideCode('supplier');
export const CUSTOMER = outsideCode('customer');
export const SHRINKAGE = outsideCode('shrinkage');
export const FOUND = outsideCode('found');
export const ADJUSTMENT = outsideCode('adjustment');

const SELLABLE = 0;
const COMMITTED = 1;
const IN_TRANSIT = 3;

export function stock(location: number, bucket: number): number {
  return location * BUCKET_COUNT + bucket;
}

export function accountLocation(code: number): number {
  return code < 0 ? -1 : Math.floor(code / BUCKET_COUNT);
}

export function accountBucket(code: number): number {
  return code < 0 ? -1 : code % BUCKET_COUNT;
}

export function decodeAccount(code: number, locations: Interner): Account {
  if (code < 0) return { kind: 'outside', account: OUTSIDE[-1 - code] as OutsideAccount };
  return {
    kind: 'stock',
    location: locations.value(accountLocation(code)),
    bucket: bucketOf(accountBucket(code)),
  };
}

export type Movement = {
  type: EventType;
  location: number;
  /** Fine location of the counterpart (transfers, bin moves), or -1. */
  counterpart: number;
  fromBucket: number | undefined;
  toBucket: number | undefined;
  /** Negative only for adjustments given as signed quantities. */
  quantity: number;
};

// Hot path (once per event): plain functions, no closures created per call.
function at(m: Movement, bucket: number | undefined, fallback: number): number {
  return stock(m.location, bucket ?? fallback);
}

/** [from, to, quantity ≥ 0]: the double entry of one movement. */
export function accountsFor(m: Movement): [number, number, number] {
  const q = Math.abs(m.quantity);
  switch (m.type) {
    case 'receipt':
      return [SUPPLIER, at(m, m.toBucket, SELLABLE), q];
    case 'shipment':
      return [at(m, m.fromBucket, SELLABLE), CUSTOMER, q];
    case 'return':
      return [CUSTOMER, at(m, m.toBucket, SELLABLE), q];
    case 'transfer_out': {
      const to = m.counterpart >= 0 ? stock(m.counterpart, IN_TRANSIT) : ADJUSTMENT;
      return [at(m, m.fromBucket, SELLABLE), to, q];
    }
    case 'transfer_in':
      return [stock(m.location, IN_TRANSIT), at(m, m.toBucket, SELLABLE), q];
    case 'adjustment':
      return adjustmentAccounts(m, q);
    case 'cycle_count':
      // Booked at projection time as counted − book; the counted quantity rides on `to`.
      return [FOUND, at(m, m.toBucket ?? m.fromBucket, SELLABLE), q];
    default:
      return internalAccounts(m, q);
  }
}

function adjustmentAccounts(m: Movement, q: number): [number, number, number] {
  const decrease = m.quantity < 0;
  if (m.fromBucket !== undefined && m.toBucket !== undefined) {
    return [stock(m.location, m.fromBucket), stock(m.location, m.toBucket), q];
  }
  if (m.fromBucket !== undefined) return [stock(m.location, m.fromBucket), SHRINKAGE, q];
  const bucket = m.toBucket ?? SELLABLE;
  return decrease
    ? [stock(m.location, bucket), SHRINKAGE, q]
    : [FOUND, stock(m.location, bucket), q];
}

function internalAccounts(m: Movement, q: number): [number, number, number] {
  let fromDefault = m.fromBucket ?? m.toBucket ?? SELLABLE;
  let toDefault = m.toBucket ?? m.fromBucket ?? SELLABLE;
  if (m.type === 'reservation') [fromDefault, toDefault] = [SELLABLE, COMMITTED];
  if (m.type === 'release') [fromDefault, toDefault] = [COMMITTED, SELLABLE];
  const target = m.counterpart >= 0 ? m.counterpart : m.location;
  return [
    stock(m.location, m.fromBucket ?? fromDefault),
    stock(target, m.toBucket ?? toDefault),
    q,
  ];
}
