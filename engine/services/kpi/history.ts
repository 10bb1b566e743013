/** KPI inputs read from the exception history: transitions, resolution times, open value. */
import type { Knex } from 'knex';

export type Dimension = 'location' | 'source' | 'owner' | 'sku';

type HistoryRow = {
  exception_id: number;
  to_state: string;
  at: string;
  g: string;
  value_at_risk_minor: number | string;
};

export type HistoryFacts = {
  transitions: { group: string; kind: 'raised' | 'reopened' | 'resolved' }[];
  /** Hours from (re)opening to resolution, for resolutions inside the period. */
  resolutions: { group: string; hours: number }[];
  processFailures: { group: string }[];
  /**
   * Value at risk of exceptions open at `until` (the period's close), the month-end view, in
   * minor units of the currency.
   */
  openAtClose: { group: string; valueMinor: number }[];
};

async function readHistory(db: Knex, by: Dimension, until: string): Promise<HistoryRow[]> {
  const rows = await db('exception_history as h')
    .join('exceptions as x', 'x.id', 'h.exception_id')
    .where('h.at', '<=', until)
    .whereIn('h.to_state', ['open', 'reopened', 'resolved'])
    .select({
      exception_id: 'h.exception_id',
      to_state: 'h.to_state',
      at: 'h.at',
      g: `x.${by}`,
      value_at_risk_minor: 'x.value_at_risk_minor',
    })
    .orderBy([{ column: 'h.exception_id' }, { column: 'h.id' }]);
  return rows as HistoryRow[];
}

export async function collectHistory(
  db: Knex,
  by: Dimension,
  since: string,
  until: string,
): Promise<HistoryFacts> {
  const facts: HistoryFacts = {
    transitions: [],
    resolutions: [],
    processFailures: [],
    openAtClose: [],
  };
  /** Exceptions open after the rows read so far, with the row that (re)opened them. */
  const opened = new Map<number, HistoryRow>();
  for (const h of await readHistory(db, by, until)) {
    const id = Number(h.exception_id);
    const inPeriod = h.at >= since;
    if (h.to_state === 'open' || h.to_state === 'reopened') {
      opened.set(id, h);
      if (inPeriod)
        facts.transitions.push({ group: h.g, kind: h.to_state === 'open' ? 'raised' : 'reopened' });
      continue;
    }
    const from = opened.get(id)?.at;
    if (inPeriod) {
      facts.transitions.push({ group: h.g, kind: 'resolved' });
      if (from)
        facts.resolutions.push({
          group: h.g,
          hours: (Date.parse(h.at) - Date.parse(from)) / 3_600_000,
        });
    }
    opened.delete(id);
  }
  const rows = await db('exceptions')
    .where('process_failure', 1)
    .andWhere('last_seen_at', '>=', since)
    .andWhere('last_seen_at', '<=', until)
    .select({ g: by });
  facts.processFailures = (rows as { g: string }[]).map((r) => ({ group: r.g }));
  for (const h of opened.values())
    facts.openAtClose.push({ group: h.g, valueMinor: Number(h.value_at_risk_minor) });
  return facts;
}
