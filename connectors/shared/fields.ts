/**
 * The canonical fields a FileMapping may name, per file kind, and which of them every row must
 * have (from a column or from `constants`). `alias:<sourceId>` and `pack:<unit>` keys are extra, items only.
 */
import { ITEM_FIELDS, type FileKind } from '../../engine/core/rules/types.ts';

/** Each kind's fields in a fixed order; the row handlers destructure their getters in it. */
export const POSITION_FIELDS = ['sku', 'location', 'status', 'quantity', 'unit', 'asOf'];
export const EVENT_FIELDS = [
  'sourceEventId',
  'type',
  'sku',
  'location',
  'fromStatus',
  'toStatus',
  'counterpartLocation',
  'quantity',
  'unit',
  'occurredAt',
  'recordedAt',
  'reference',
  'reasonCode',
  'fromLocation',
  'toLocation',
  'counterpartReference',
];
export { ITEM_FIELDS };

export const FIELDS: Record<FileKind, { allowed: string[]; required: string[] }> = {
  positions: {
    allowed: POSITION_FIELDS,
    required: ['sku', 'location', 'status', 'quantity', 'asOf'],
  },
  opening: {
    allowed: POSITION_FIELDS,
    required: ['sku', 'location', 'status', 'quantity', 'asOf'],
  },
  events: {
    allowed: EVENT_FIELDS,
    // `location`, or `fromLocation` / `toLocation` (a movement row): checked apart
    required: ['sourceEventId', 'type', 'sku', 'quantity', 'occurredAt'],
  },
  items: {
    allowed: [...ITEM_FIELDS],
    required: ['sku', 'skuClass'],
  },
};

export const DATE_FIELDS = new Set(['asOf', 'occurredAt', 'recordedAt']);
export const ALIAS_PREFIX = 'alias:';
/** `pack:<unit>` (items): a column holding how many base units one <unit> of the item holds. */
export const PACK_PREFIX = 'pack:';

/** In a wide file the status and quantity come from the status columns, not from fields. */
export function requiredFields(kind: FileKind, wide: boolean): string[] {
  const required = FIELDS[kind].required;
  return wide ? required.filter((f) => f !== 'status' && f !== 'quantity') : required;
}
