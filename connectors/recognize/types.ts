/** What recognition found in a folder of exports, file by file. */
import type { Table } from './table.ts';

/** A movement as several systems record it, for measuring lags between them. */
export type Sighting = {
  system: string;
  reference: string;
  sku: string;
  quantity: number;
  /** Wall-clock time "yyyy-MM-dd HH:mm" (date-only files give 00:00 and `dateOnly`). */
  at: string;
  dateOnly?: boolean;
  /** A transfer leaving (out) or arriving (in); undefined for other movements. */
  leg?: 'out' | 'in';
  location?: string;
  /** The system's own code of the place it happened (an ERP warehouse name), when known. */
  place?: string;
};

export type Place = { code: string; name?: string; parent?: string };

export type Found =
  | { kind: 'erpnext-sle'; path: string; table: Table }
  | { kind: 'erpnext-bin'; path: string; table: Table }
  | { kind: 'erpnext-item'; path: string; table: Table }
  | { kind: 'positions-csv'; path: string; table: Table; encoding?: 'windows-1252' }
  | { kind: 'movements-csv'; path: string; table: Table; encoding?: 'windows-1252' }
  | {
      kind: 'x12';
      path: string;
      sets: string[];
      warehouses: Place[];
      qualifiers: string[];
      /** W19-01 reason codes of 947 adjustments. */
      reasons: string[];
      /** 944 receipts and 945 shipments: date (yyyy-MM-dd), reference, sku, quantity. */
      moves: {
        set: string;
        date: string;
        ref: string;
        sku: string;
        qty: number;
        warehouse?: string;
      }[];
    }
  | { kind: 'fba-inventory'; path: string; table: Table; encoding?: 'windows-1252' }
  | { kind: 'fba-ledger'; path: string; table: Table; encoding?: 'windows-1252' }
  | { kind: 'shopify-graphql'; path: string; locations: Place[]; names: string[] }
  | { kind: 'unknown'; path: string; reason: string };

export type FoundKind = Found['kind'];

export const KIND_LABEL: Record<FoundKind, string> = {
  'erpnext-sle': 'ERPNext Stock Ledger Entry (CSV)',
  'erpnext-bin': 'ERPNext Bin (CSV)',
  'erpnext-item': 'ERPNext Item (CSV)',
  'positions-csv': 'stock positions (delimited, header mapped)',
  'movements-csv': 'stock movements (delimited, header mapped)',
  x12: 'X12 EDI',
  'fba-inventory': 'Amazon FBA inventory report',
  'fba-ledger': 'Amazon FBA ledger detail report',
  'shopify-graphql': 'Shopify Admin GraphQL pages (saved)',
  unknown: 'not recognized',
};
