/**
 * The facts the engine computes for every difference, and that classification rules may use.
 * This list is the single declaration: the rules validator rejects a rule that names a fact not
 * listed here, and the engine's fact builder must provide every one.
 */
export const FACTS = {
  sku: { type: 'string', doc: 'Canonical SKU.' },
  skuClass: { type: 'string', doc: 'SKU class from the item master.' },
  category: { type: 'string', doc: 'Item category ("" when unknown).' },
  location: { type: 'string', doc: 'Canonical location at the compare level.' },
  locationType: {
    type: 'string',
    doc: 'Type of the location (own_warehouse, 3pl_warehouse, store …).',
  },
  bucket: { type: 'string', doc: 'sellable, committed, non_sellable or in_transit.' },
  source: { type: 'string', doc: 'The source whose position is compared with the expected one.' },
  sourceRole: { type: 'string', doc: 'System role of that source (erp, wms, ecommerce …).' },
  isSystemOfRecord: {
    type: 'boolean',
    doc: 'The source books physical movements for this location.',
  },
  expectedQuantity: { type: 'number', doc: 'Ledger projection at the run time, base units.' },
  sourceQuantity: { type: 'number', doc: "The source's reported quantity, base units." },
  variance: { type: 'number', doc: 'sourceQuantity − expectedQuantity, base units.' },
  absVariance: { type: 'number', doc: '|variance|.' },
  variancePct: { type: 'number', doc: '|variance| ÷ max(|expectedQuantity|, 1) × 100.' },
  valueAtRisk: {
    type: 'number',
    doc: "|variance| × unit cost in the rules' currency, major units (642.18 is $642.18 for USD), exact to the minor unit; 0 when the cost is unknown.",
  },
  withinTolerance: { type: 'boolean', doc: 'The difference is within the tolerance that applies.' },
  toleranceAbsolute: { type: 'number', doc: 'Absolute tolerance applied (−1 when none).' },
  tolerancePercent: { type: 'number', doc: 'Percent tolerance applied (−1 when none).' },
  pendingInTransit: {
    type: 'number',
    doc: 'Quantity in transit to this key still inside its window.',
  },
  overdueInTransit: { type: 'number', doc: 'Quantity in transit to this key past its window.' },
  unmatchedInWindow: {
    type: 'number',
    doc: 'Events of this key lacking a counterpart, still inside the lag window.',
  },
  unmatchedInWindowQuantity: {
    type: 'number',
    doc:
      "The part of this comparison's variance those events account for: +q for a movement " +
      'this source has and the ledger lacks, −q for a booked movement this source lacks. ' +
      'A variance equal to it is explained by them.',
  },
  unmatchedOutsideWindow: {
    type: 'number',
    doc: 'Breaks: events of this key lacking a counterpart past the window.',
  },
  unmatchedOutsideWindowQuantity: {
    type: 'number',
    doc: "The part of this comparison's variance those breaks account for (signed the same way).",
  },
  unmatchedTypes: {
    type: 'string',
    doc:
      'Event types of the unmatched events that concern this comparison, sorted and ' +
      'comma-separated ("shipment", "adjustment,receipt"; "" when none).',
  },
  unmatchedReasonCodes: {
    type: 'string',
    doc:
      'Reason codes of those events as the source wrote them, sorted and comma-separated ' +
      '("CYCLE_COUNT", "AU"; "" when none).',
  },
  missingSide: {
    type: 'string',
    doc:
      'Which side lacks those events: "source" (this source lacks a booked movement), "book" ' +
      '(this source has a movement the ledger lacks), "both", or "" when none.',
  },
  unmatchedCountAdjustments: {
    type: 'number',
    doc:
      'Adjustments and counts booked by the system of record that this source lacks past the ' +
      'posting lag (a count the ERP never received).',
  },
  unmatchedCountAdjustmentQuantity: {
    type: 'number',
    doc: "The part of this comparison's variance those counts account for (signed as above).",
  },
  statusMovesInWindowQuantity: {
    type: 'number',
    doc:
      "The part of this comparison's variance that moves between status buckets " +
      '(status_change) inside the posting lag between the book and this source account for: ' +
      '−q for a move the book made, +q for one only this source made (a move not posted yet).',
  },
  adjustmentsBySystemOfRecord: {
    type: 'number',
    doc: 'Adjustments and counts booked by the system of record for this key in the window.',
  },
  agreesWithSource: {
    type: 'string',
    doc:
      'Another source reporting exactly this quantity while it differs from the expected one ' +
      '(first by id; "" when none): a channel mirroring the ERP shares its problem.',
  },
  agreeingSources: {
    type: 'number',
    doc: 'How many other sources report exactly this differing quantity.',
  },
  lateEvents: { type: 'number', doc: 'Events for this key recorded after their day’s cutoff.' },
  duplicateEvents: {
    type: 'number',
    doc:
      'Events that repeat another of the same source under a new id: the same reference, sku ' +
      'and quantity, or a different reference with the same sku, location, type and quantity ' +
      'within minutes where the repeat has no counterpart in the book.',
  },
  duplicateQuantity: {
    type: 'number',
    doc:
      "The part of this comparison's variance the duplicates account for: +q for a duplicate " +
      'this source recorded, −q for one booked into the ledger (it inflates the expected).',
  },
  netVarianceAcrossBuckets: {
    type: 'number',
    doc: 'Sum of this source’s variances over all buckets of the sku and location.',
  },
  uomRounding: {
    type: 'boolean',
    doc: 'A conversion for this key did not land on a whole base unit.',
  },
  varianceIsUnitMultiple: {
    type: 'boolean',
    doc:
      'The source quantity is the expected one times or divided by a pack factor (>1), or the ' +
      'difference is one movement both systems recorded under the same reference with ' +
      'quantities a pack factor apart (2 cases of 6 posted as 2 units).',
  },
  adjustmentsOutsideSystemOfRecord: {
    type: 'number',
    doc: 'Adjustments this source recorded though it is not the system of record.',
  },
  adjustmentsOutsideSystemOfRecordQuantity: {
    type: 'number',
    doc: "The part of this comparison's variance those adjustments account for (+q adds stock).",
  },
  hoursSinceSourceEvent: {
    type: 'number',
    doc: "Hours since the source's last event for this location (−1 when none).",
  },
  expectedSellable: { type: 'number', doc: 'Expected sellable quantity of the sku and location.' },
  channelSellable: {
    type: 'number',
    doc: 'Sellable quantity the channel source shows (−1 when the source is not a channel).',
  },
} as const;

export type FactName = keyof typeof FACTS;
export const FACT_NAMES = Object.keys(FACTS) as FactName[];
export type Facts = {
  [K in FactName]: (typeof FACTS)[K]['type'] extends 'number'
    ? number
    : (typeof FACTS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};
