/**
 * A scenario test: a handful of items, opening balances, positions and events fed to the
 * engine as a connector would (raw source vocabulary), reconciled as of the scenario's time,
 * and each expected key traced to its decision.
 */
import { createTracingIntake, traceKey } from '../explain/trace-key.ts';
import type { Bucket, Item, RawEvent, RawPosition } from '../../core/model/types.ts';
import type { Ruleset } from '../../core/rules/types.ts';
import type { Got, KeyExpectation, Scenario } from './types.ts';
import { gotFrom } from './got.ts';
import { decimalOfNumber, decimalText } from '../../core/model/money.ts';

/** An item as a test writes it: a unit cost as a YAML number (10, 214.06) or decimal text. */
function itemOf(raw: Record<string, unknown>): Item {
  const cost = raw.unitCost;
  if (typeof cost !== 'number') return raw as unknown as Item;
  const d = decimalOfNumber(cost);
  return { ...(raw as unknown as Item), unitCost: d ? decimalText(d) : String(cost) };
}

/** One Got per expectation, or null when nothing compares that key for that source. */
export async function runScenario(
  ruleset: Ruleset,
  s: Scenario,
  expected: KeyExpectation[],
): Promise<(Got | null)[]> {
  const intake = createTracingIntake(ruleset);
  for (const i of s.items ?? []) intake.item(itemOf(i));
  for (const p of s.opening ?? []) intake.opening(p as unknown as RawPosition);
  for (const p of s.positions ?? []) intake.position(p as unknown as RawPosition);
  for (const e of s.events ?? []) intake.event(e as unknown as RawEvent);
  const out: (Got | null)[] = [];
  for (const e of expected) {
    const q = {
      asOf: s.asOf,
      sku: e.sku,
      location: e.location,
      bucket: e.bucket as Bucket,
      source: e.source,
    };
    const { traces } = await traceKey(ruleset, intake, q);
    const t = traces[0];
    if (!t) {
      out.push(null);
      continue;
    }
    const facts = {
      sku: t.sku,
      location: t.location,
      bucket: t.bucket,
      source: t.source,
      ...t.facts,
    };
    out.push(
      gotFrom(
        ruleset,
        t.outcome,
        t.causes,
        t.classified ? (t.decidedBy?.name ?? 'fallback') : '',
        facts,
      ),
    );
  }
  return out;
}
