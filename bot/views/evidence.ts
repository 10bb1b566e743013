/**
 * The evidence thread: movement history, unmatched events, the rule that decided and its facts,
 * the last known good run and the ruleset version. Long evidence is cut by the clamp with a
 * pointer to `tally exceptions show <id>`.
 */
import type { ExceptionCard } from '../card.ts';
import { clampMessage, type Block } from './clamp.ts';
import { signed } from './format.ts';
import { describeCandidates } from '../../engine/core/recon/candidates.ts';

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

export function evidenceBlocks(c: ExceptionCard): Block[] {
  const ev = c.evidence;
  if (!ev)
    return clampMessage([section(`No evidence stored for exception ${c.id}.`)], String(c.id));
  const blocks: Block[] = [
    section(`*Evidence for exception ${c.id}* (ruleset ${ev.rulesetVersion})`),
  ];
  const decided = ev.decidedBy
    ? `*Rule:* \`${ev.decidedBy.rule}\` (${ev.decidedBy.file}:${ev.decidedBy.line})`
    : '*Rule:* fallback (no rule fired)';
  const fired = ev.rules.find((r) => r.fired);
  const conditions = (fired?.conditions ?? [])
    .map(
      (k) =>
        `• ${k.fact} = ${JSON.stringify(k.factValue)} ${k.operator} ${JSON.stringify(k.value)} → ${k.result}`,
    )
    .join('\n');
  blocks.push(section(`${decided}${conditions ? `\n${conditions}` : ''}`));
  if (ev.candidates && ev.candidates.length > 0) {
    const ranked = describeCandidates(ev.candidates).map((l) => `• ${l}`);
    blocks.push(section(`*Ranked causes* (facts for and against)\n${ranked.join('\n')}`));
  }
  if (ev.linked && ev.linked.length > 0) {
    const lines = ev.linked.map(
      (l) =>
        `• ${l.source} ${l.bucket}: ${l.quantity} vs expected ${l.expected} (${signed(l.variance)}, ${l.cause})`,
    );
    blocks.push(section(`*Same problem, also seen in*\n${lines.join('\n')}`));
  }
  const tol = ev.tolerance
    ? `tolerance abs ${ev.tolerance.absolute ?? '–'} / ${ev.tolerance.percent ?? '–'}% (${ev.tolerance.from})`
    : 'no tolerance applied';
  const lastGood = ev.lastMatchedRunId
    ? `last matched in run ${ev.lastMatchedRunId} at ${ev.lastMatchedAt ?? '?'}`
    : 'never matched in a recorded run';
  blocks.push(section(`*Variance:* ${signed(ev.variance)} ${ev.unit} · ${tol} · ${lastGood}`));
  if (ev.unmatched.length > 0) {
    const lines = ev.unmatched.map(
      (u) =>
        `• ${u.source} ${u.type} ${u.sourceEventId} ${signed(u.quantity)} at ${u.occurredAt}` +
        ` (${u.status}; missing in ${u.missingIn.join(', ') || '–'})${u.reference ? ` ref ${u.reference}` : ''}`,
    );
    blocks.push(section(`*Unmatched events*\n${lines.join('\n')}`));
  }
  if (ev.history.length > 0) {
    const lines = ev.history.map(
      (m) =>
        `• ${m.occurredAt} ${m.source} ${m.type} ${m.quantity}${m.reference ? ` ref ${m.reference}` : ''}`,
    );
    // one section per 30 movements keeps each under the text limit without losing order
    for (let i = 0; i < lines.length; i += 30) {
      blocks.push(
        section(
          `${i === 0 ? '*Movements in the window*\n' : ''}${lines.slice(i, i + 30).join('\n')}`,
        ),
      );
    }
  }
  const facts = Object.entries(ev.facts as Record<string, unknown>)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' · ');
  if (facts)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Facts: ${facts}` }] });
  return clampMessage(blocks, String(c.id));
}
