/** Each source's vocabulary for buckets, event types and locations (demo-deployment spec). */
import type { Bucket, EventType } from '../engine/core/model/types.ts';
import type { Warehouse } from './world.ts';

export const ERP_STATUS: Record<Bucket, string> = {
  sellable: 'Unrestricted',
  committed: 'Reserved',
  non_sellable: 'Blocked',
  in_transit: 'In Transit',
};

export const ERP_WAREHOUSE: Record<Warehouse, string> = {
  'WH-EAST': 'East DC - TC',
  'WH-WEST': 'West 3PL - TC',
  'STORE-NYC': 'Store NYC - TC',
  'STORE-SF': 'Store SF - TC',
};

export const ERP_VOUCHER: Partial<Record<EventType, string>> = {
  receipt: 'Purchase Receipt',
  shipment: 'Delivery Note',
  transfer_out: 'Stock Entry Out',
  transfer_in: 'Stock Entry In',
  return: 'Sales Return',
  adjustment: 'Stock Reconciliation',
  status_change: 'Material Transfer',
};

export const WMS_STATUS: Record<Bucket, string> = {
  sellable: 'AVAILABLE',
  committed: 'ALLOCATED',
  non_sellable: 'DAMAGED',
  in_transit: 'INBOUND',
};

export const WMS_TYPE: Record<EventType, string> = {
  receipt: 'RECEIVE',
  putaway: 'PUTAWAY',
  pick: 'PICK',
  shipment: 'SHIP',
  transfer_out: 'XFER_OUT',
  transfer_in: 'XFER_IN',
  return: 'RETURN',
  adjustment: 'ADJUST',
  cycle_count: 'COUNT',
  reservation: 'ALLOCATE',
  release: 'DEALLOCATE',
  status_change: 'STATUS',
};

/** Wide 3PL snapshot columns, in file order. */
export const TPL_COLUMNS = ['available', 'allocated', 'damaged', 'hold', 'inbound'] as const;
export const TPL_STATUS: Record<Bucket, string> = {
  sellable: 'available',
  committed: 'allocated',
  non_sellable: 'damaged',
  in_transit: 'inbound',
};

export const POS_STORE: Partial<Record<Warehouse, string>> = {
  'STORE-NYC': 'NYC',
  'STORE-SF': 'SF',
};
export const POS_STATUS: Partial<Record<Bucket, string>> = {
  sellable: 'ON_HAND',
  non_sellable: 'DAMAGED',
};
export const POS_KIND: Partial<Record<EventType, string>> = {
  shipment: 'SALE',
  return: 'RETURN',
  transfer_in: 'RECEIVE',
  adjustment: 'SHRINK',
};

export const SHOP_LOCATION: Partial<Record<Warehouse, string>> = {
  'WH-EAST': 'gid://shopify/Location/1',
  'WH-WEST': 'gid://shopify/Location/2',
};
