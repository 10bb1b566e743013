/**
 * The evidence thread, for a person deciding what to do: the break in plain words, the rule's
 * reason as a sentence, the few movements that matter, and the command that shows everything
 * else (every movement, every fact, every condition): `tally exceptions show <id>`.
 */
import type { ExceptionCard } from '../card.ts';
import type { Evidence, UnmatchedEvent } from '../../engine/core/recon/types.ts';
import type { MovementEvent } from '../../engine/core/model/types.ts';
import { clampMessage, type Block } from './clamp.ts';
import { humanCause, qty, signed, when } from './format.ts';

/** Movements shown in the thread; the rest are one command away. */
export const MOVEMENTS_SHOWN = 5;

/** A rule's name and its description, where the ruleset is at hand. */
export type RuleText = { name: string; description?: string };

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});

/** "erp shows 1,000 each where the books expect 2,155: 1,155 fewer." */
function breakLine(c: ExceptionCard, ev: Evidence): string {
  const shown = ev.quantities[c.source];
  const diff = Math.abs(ev.variance);
  const direction = ev.variance < 0 ? 'fewer' : 'more';
  const has =
    shown === undefined
      ? `is off by ${signed(ev.variance)} ${ev.unit}`
      : `shows *${qty(shown)} ${ev.unit}*`;
  return (
    `*What broke:* at ${c.location} (${c.bucket}), ${c.source} ${has} of ${c.sku} where the books ` +
    `expect *${qty(ev.expected)}*: *${qty(diff)} ${direction}*.`
  );
}

function unmatchedLine(u: UnmatchedEvent): string {
  const where = u.missingIn.length ? `not in ${u.missingIn.join(', ')}` : 'without a counterpart';
  const status = u.status === 'break' ? 'past its window: a break' : 'still inside its window';
  const ref = u.reference ? ` (ref ${u.reference})` : '';
  return `• ${when(u.occurredAt)}: ${u.source} ${u.type} of ${signed(u.quantity)}${ref}, ${where}, ${status}`;
}

function movementLine(m: MovementEvent): string {
  const ref = m.reference ? ` (ref ${m.reference})` : '';
  return `• ${when(m.occurredAt)}: ${m.source} ${m.type} of ${qty(m.quantity)}${ref}`;
}

/** The unmatched events first (they are the break), then the latest movements, a few in all. */
function movements(ev: Evidence): string | null {
  const lines = ev.unmatched.slice(0, MOVEMENTS_SHOWN).map(unmatchedLine);
  const room = MOVEMENTS_SHOWN - lines.length;
  const latest = room > 0 ? ev.history.slice(-Math.min(room, 3)).map(movementLine) : [];
  const total = ev.unmatched.length + ev.history.length;
  const shown = lines.length + latest.length;
  if (shown === 0) return null;
  const head = ev.unmatched.length ? '*Movements that matter*' : '*Latest movements*';
  const more = total > shown ? `\n_and ${qty(total - shown)} more (command below)_` : '';
  return `${head}\n${[...lines, ...latest].join('\n')}${more}`;
}

/** The deciding rule's reason as a sentence, with where it is written. */
function reason(ev: Evidence, rules: readonly RuleText[]): string {
  const d = ev.decidedBy;
  if (!d) return '*Why:* no rule explains this difference, so a person has to look at it.';
  const text = rules.find((r) => r.name === d.rule)?.description?.trim();
  const sentence = text ? text.replace(/\s+/g, ' ') : `rule ${d.rule} decided it.`;
  const file = d.file.split(/[\\/]/).pop();
  return `*Why:* ${sentence} _(rule \`${d.rule}\`, ${file}:${d.line})_`;
}

function alternatives(ev: Evidence): string | null {
  const others = (ev.candidates ?? []).slice(1);
  if (others.length === 0) return null;
  const names = others.map((k) => `${humanCause(k.cause)}${k.fired ? '' : ' (not met)'}`);
  return `Also considered: ${names.join(', ')}.`;
}

function linked(ev: Evidence): string | null {
  if (!ev.linked?.length) return null;
  const lines = ev.linked.map(
    (l) =>
      `• ${l.source} ${l.bucket}: ${qty(l.quantity)} where the books expect ${qty(l.expected)} ` +
      `(${signed(l.variance)}, ${humanCause(l.cause)})`,
  );
  return `*The same problem, also seen in*\n${lines.join('\n')}`;
}

function footing(ev: Evidence): string {
  const t = ev.tolerance;
  const bounds = [
    t?.absolute !== undefined && t.absolute >= 0 ? `±${qty(t.absolute)} ${ev.unit}` : null,
    t?.percent !== undefined && t.percent >= 0 ? `${t.percent}%` : null,
  ].filter(Boolean);
  const tolerance = bounds.length ? `tolerance ${bounds.join(' or ')}` : 'no tolerance';
  const lastGood = ev.lastMatchedAt
    ? `last matched ${when(ev.lastMatchedAt)}`
    : 'never matched in a recorded run';
  return `${tolerance} · ${lastGood} · ruleset ${ev.rulesetVersion}`;
}

export function evidenceBlocks(c: ExceptionCard, rules: readonly RuleText[] = []): Block[] {
  const ev = c.evidence;
  const full = `Everything (every movement, fact and condition): \`tally exceptions show ${c.id}\``;
  if (!ev) {
    return clampMessage(
      [section(`No evidence stored for exception ${c.id}.`), context(full)],
      String(c.id),
    );
  }
  const blocks: Block[] = [section(breakLine(c, ev)), section(reason(ev, rules))];
  const others = alternatives(ev);
  if (others) blocks.push(context(others));
  for (const text of [movements(ev), linked(ev)]) if (text) blocks.push(section(text));
  blocks.push(context(footing(ev)), context(full));
  return clampMessage(blocks, String(c.id));
}
