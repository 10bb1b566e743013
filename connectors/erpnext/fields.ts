/** The columns read from each export: field names with the labels ERPNext exports them under. */
import type { FieldLabels } from './table.ts';

export const SLE_LABELS: FieldLabels = {
  name: ['ID', 'Name'],
  item_code: ['Item Code', 'Item'],
  warehouse: ['Warehouse'],
  posting_date: ['Posting Date'],
  posting_time: ['Posting Time'],
  posting_datetime: ['Posting Datetime'],
  voucher_type: ['Voucher Type'],
  voucher_no: ['Voucher No', 'Voucher #'],
  voucher_detail_no: ['Voucher Detail No'],
  actual_qty: ['Actual Qty', 'Qty Change', 'Actual Quantity'],
  qty_after_transaction: ['Qty After Transaction', 'Balance Qty'],
  is_cancelled: ['Is Cancelled'],
  stock_uom: ['Stock UOM', 'UOM'],
  creation: ['Created On', 'Creation'],
  outgoing_stock_entry: ['Outgoing Stock Entry'],
};

export const SLE_REQUIRED = ['item_code', 'warehouse', 'voucher_type', 'voucher_no', 'actual_qty'];

export const BIN_LABELS: FieldLabels = {
  item_code: ['Item Code'],
  warehouse: ['Warehouse'],
  actual_qty: ['Actual Quantity', 'Actual Qty'],
  reserved_qty: ['Reserved Quantity', 'Reserved Qty'],
  ordered_qty: ['Ordered Quantity', 'Ordered Qty'],
  indented_qty: ['Requested Quantity', 'Requested Qty', 'Indented Qty'],
  planned_qty: ['Planned Qty', 'Planned Quantity'],
  projected_qty: ['Projected Qty', 'Projected Quantity'],
  reserved_qty_for_production: ['Reserved Qty for Production'],
  stock_uom: ['UOM', 'Stock UOM'],
};

export const BIN_REQUIRED = ['item_code', 'warehouse', 'actual_qty'];

export const ITEM_LABELS: FieldLabels = {
  item_code: ['Item Code', 'ID', 'Name'],
  item_group: ['Item Group'],
  stock_uom: ['Default Unit of Measure', 'Stock UOM', 'UOM'],
  valuation_rate: ['Valuation Rate'],
  disabled: ['Disabled'],
  // the Item's UOM Conversion Detail rows (child table `uoms`), as Data Export labels them
  uom: ['UOM (UOMs)', 'UOM (UOM Conversion Detail)', 'uoms.uom'],
  conversion_factor: [
    'Conversion Factor (UOMs)',
    'Conversion Factor (UOM Conversion Detail)',
    'uoms.conversion_factor',
  ],
};

export const ITEM_REQUIRED = ['item_code', 'item_group'];

export { BIN_STATUSES } from '../shared/erpnext-ledger.ts';
