/**
 * W19-01 "Quantity or Status Adjustment Reason Code": what a 3PL's 947 line does to stock.
 * The default table reads each code through the reason catalogue (engine/core/model/reasons.ts)
 * — a damage, condition, downgrade or hold code moves units between raw statuses inside the
 * warehouse and leaves on-hand unchanged; every other code changes on-hand by the signed
 * W19-02. Partners use the codes their own way (one writes damaged units off with `AU` instead
 * of moving them to a damaged status), so a source's `reasonCodes` setting overrides the table
 * code by code.
 */
import { reasonFor, reasonForW19, type ReasonCode } from '../../engine/core/model/reasons.ts';

export { w19CodeFor } from '../../engine/core/model/reasons.ts';

export const STOCK_STATES = ['available', 'damaged', 'hold'] as const;
export type StockState = (typeof STOCK_STATES)[number];

export const ACTIONS = ['status_move', 'write_off', 'found', 'adjustment'] as const;
export type W19Action = (typeof ACTIONS)[number];

/**
 * status_move: from → to inside the warehouse; write_off: units leave from `from` (available by
 * default) whatever W19-02's sign; found: units enter `to` (available); adjustment: the sign of
 * W19-02 decides.
 */
export type W19Rule = { reason: string; action: W19Action; from?: StockState; to?: StockState };

const STATUS_MOVES: Partial<Record<ReasonCode, [StockState, StockState]>> = {
  DAMAGED_IN_FACILITY: ['available', 'damaged'],
  DAMAGED_IN_TRANSIT: ['available', 'damaged'],
  CONDITION_CHANGE: ['available', 'damaged'],
  DOWNGRADE: ['available', 'damaged'],
  PUT_ON_HOLD: ['available', 'hold'],
  TAKEN_OFF_HOLD: ['hold', 'available'],
};

/** The rule of a W19-01 code: the partner's table first, then the default; undefined if unknown. */
export function readW19(code: string, partner?: ReadonlyMap<string, W19Rule>): W19Rule | undefined {
  const key = code.trim().toUpperCase();
  const own = partner?.get(key);
  if (own) return own;
  const reason = reasonForW19(key);
  if (!reason) return undefined;
  const move = STATUS_MOVES[reason.code];
  return move
    ? { reason: reason.code, action: 'status_move', from: move[0], to: move[1] }
    : { reason: reason.code, action: 'adjustment' };
}

/** The reason a partner rule carries when it names none: the catalogue's, else W19_<code>. */
export function defaultReason(code: string): string {
  return reasonForW19(code)?.code ?? `W19_${code.trim().toUpperCase()}`;
}

/** Problems of one `reasonCodes` entry (empty when fine). */
export function checkW19Rule(code: string, v: unknown): string[] {
  const at = `settings.reasonCodes.${code}`;
  if (!/^[A-Z0-9]{2}$/.test(code))
    return [
      /^\d$/.test(code)
        ? `${at}: W19 codes have two characters; quote a code with a leading zero ('0${code}')`
        : `${at}: expected a two-character W19-01 code such as AU or 05`,
    ];
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return [`${at}: expected { action, reason?, from?, to? }`];
  const r = v as Record<string, unknown>;
  const problems: string[] = [];
  if (!ACTIONS.includes(r.action as W19Action))
    problems.push(`${at}.action: expected one of ${ACTIONS.join(', ')}`);
  if (r.reason !== undefined && (typeof r.reason !== 'string' || !reasonFor(r.reason)))
    problems.push(`${at}.reason: expected a reason of the catalogue such as DAMAGED_IN_FACILITY`);
  for (const k of ['from', 'to'] as const)
    if (r[k] !== undefined && !STOCK_STATES.includes(r[k] as StockState))
      problems.push(`${at}.${k}: expected one of ${STOCK_STATES.join(', ')}`);
  if (r.action === 'status_move' && (r.from === undefined || r.to === undefined || r.from === r.to))
    problems.push(`${at}: a status_move needs two different states, from and to`);
  return problems;
}

export function compileW19Rule(code: string, v: Record<string, unknown>): W19Rule {
  return {
    reason: (v.reason as string | undefined) ?? defaultReason(code),
    action: v.action as W19Action,
    from: v.from as StockState | undefined,
    to: v.to as StockState | undefined,
  };
}
