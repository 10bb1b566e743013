/**
 * Rows the intake keeps out of the model, and what it owes each: a finding that names the row,
 * its fate in the run's accounting (file and line), and, where the key would compare wrong
 * without it, that key left incomplete.
 */
import type { Interner } from '../model/intern.ts';
import type { NormalizationFinding, RawEvent, RawPosition } from '../model/types.ts';
import { RowFates } from './fates.ts';
import { IncompleteRows } from './incomplete.ts';

export class KeptOut {
  readonly findings: NormalizationFinding[] = [];
  /** Rows kept out of the model, per file and line, for the run's accounting. */
  readonly fates = new RowFates();
  /** Keys that a refused, kept-out or repeated row leaves incomplete: not compared, and said so. */
  readonly incomplete = new IncompleteRows();

  constructor(
    private readonly sourceIndex: ReadonlyMap<string, number>,
    private readonly files: Interner,
  ) {}

  /**
   * A row kept out by a finding. `scope`: whose key it speaks for, its source's (a position) or
   * the ledger's (an opening row, an event).
   */
  finding(
    code: NormalizationFinding['code'],
    raw: RawPosition | RawEvent,
    message: string,
    scope: 'source' | 'ledger',
  ): void {
    const f: NormalizationFinding = { code, source: raw.source, message, sku: raw.sku };
    f.location = raw.location;
    if (raw.origin) {
      f.origin = raw.origin;
      this.keep('keptOut', raw);
      // its key would compare without it (a rounded quantity is a cause of its own instead;
      // a row of nothing changes nothing: Shopify's quantity names nobody mapped, all zero)
      if (code !== 'UOM_ROUNDING' && raw.quantity !== 0)
        this.incomplete.keptOut(raw.source, raw.sku, raw.location, scope, raw.origin);
    }
    this.findings.push(f);
  }

  /** An event whose source already gave its id: counted once, the repeat kept out. */
  duplicate(raw: RawEvent): void {
    if (raw.origin) this.keep('duplicate', raw);
  }

  private keep(kind: 'keptOut' | 'duplicate', raw: RawPosition | RawEvent): void {
    const origin = raw.origin!;
    const source = this.sourceIndex.get(raw.source) ?? -1;
    this.fates.keep(kind, this.files.id(origin.file), source, origin.line);
  }
}
