/** The top exceptions with their evidence, most severe and most valuable first. */
import { paintSeverity } from './color.ts';
import type { KeyResult } from '../../engine/core/recon/types.ts';
import { basename } from 'node:path';
import { SEVERITIES } from '../../engine/core/rules/types.ts';
import { type Currency, DEFAULT_CURRENCY } from '../../engine/core/model/money.ts';
import { isPrimary } from '../../engine/core/recon/problems.ts';
import { clip, fmtInt, fmtMoney, fmtSigned, wrapParts } from './text.ts';

const rank = (k: KeyResult) => SEVERITIES.indexOf(k.severity ?? 'low');

export function topExceptions(results: KeyResult[], limit: number): KeyResult[] {
  return results
    .filter(isPrimary)
    .sort(
      (a, b) =>
        rank(b) - rank(a) || b.valueAtRiskMinor - a.valueAtRiskMinor || a.sku.localeCompare(b.sku),
    )
    .slice(0, limit);
}

export function renderExceptions(
  results: KeyResult[],
  limit = 10,
  currency: Currency = DEFAULT_CURRENCY,
): string[] {
  const top = topExceptions(results, limit);
  const total = results.filter(isPrimary).length;
  if (total === 0) return ['No exceptions.'];
  if (top.length === 0) return [`${fmtInt(total)} exceptions, none shown (--top ${limit})`];
  const out = [clip(`Top ${top.length} of ${fmtInt(total)} exceptions`), ''];
  top.forEach((k, i) => out.push(...renderOne(k, i + 1, currency), ''));
  return out;
}

function renderOne(k: KeyResult, n: number, currency: Currency): string[] {
  const cause = k.outcome.type === 'exception' ? k.outcome.rootCause : '';
  const sev = (
    k.severity ?? (k.outcome.type === 'exception' ? k.outcome.severity : '')
  ).toUpperCase();
  const head = clip(
    `${String(n).padStart(2)}. ${sev} ${cause}  ${k.sku} @ ${k.location} ${k.bucket} (${k.source})`,
  );
  // coloured after clipping, so the escape codes never count toward the width
  const lines = [head.replace(`. ${sev} `, `. ${paintSeverity(sev, sev)} `)];
  const e = k.evidence;
  const pad = '    ';
  if (!e) {
    lines.push(clip(`${pad}variance ${fmtSigned(k.variance)}`));
    return lines;
  }
  const others = Object.entries(e.quantities)
    .filter(([src]) => src !== k.source)
    .map(([src, q]) => `${src} ${fmtInt(q)}`);
  lines.push(
    clip(
      `${pad}${k.source} ${fmtInt(e.quantities[k.source] ?? e.expected + e.variance)} vs expected ` +
        `${fmtInt(e.expected)} ${e.unit} · variance ${fmtSigned(e.variance)} · ` +
        `value ${fmtMoney(k.valueAtRiskMinor, currency)}`,
    ),
  );
  if (others.length) lines.push(clip(`${pad}also: ${others.join(' · ')}`));
  const ranked = e.candidates ?? [];
  if (ranked.length > 1) {
    lines.push(clip(`${pad}ranked causes:`));
    ranked.slice(0, 3).forEach((c, i) => {
      lines.push(clip(`${pad}  ${i + 1}. ${c.cause} (${c.rule}${c.fired ? '' : ', not met'})`));
      const deep = `${pad}       `;
      if (c.for.length)
        lines.push(...wrapParts(`${pad}     for `, c.for, ', ', deep).map((l) => clip(l)));
      if (c.against.length) {
        lines.push(...wrapParts(`${pad}     against `, c.against, ', ', deep).map((l) => clip(l)));
      }
    });
  } else if (k.causes.length > 1) lines.push(clip(`${pad}likely causes: ${k.causes.join(', ')}`));
  for (const l of e.linked ?? []) {
    lines.push(
      clip(
        `${pad}same problem: ${l.source} ${l.bucket} ${fmtInt(l.quantity)} vs ${fmtInt(l.expected)}` +
          ` (${fmtSigned(l.variance)}, ${l.cause})`,
      ),
    );
  }
  for (const u of e.unmatched.slice(0, 3)) {
    lines.push(
      clip(
        `${pad}${u.source} ${u.type} ${u.reference ?? u.sourceEventId} ×${fmtInt(u.quantity)} ` +
          `${u.occurredAt.slice(5, 16).replace('T', ' ')}Z: not in ${u.missingIn.join(', ')} ` +
          `(${u.status})`,
      ),
    );
  }
  if (e.decidedBy) {
    const rule = e.rules.find((r) => r.rule === e.decidedBy!.rule);
    const why = (rule?.conditions ?? [])
      .map((c) => `${c.fact}=${JSON.stringify(c.factValue)}`)
      .join(', ');
    // the rules folder is printed in the header; the file name and line are what a reader opens
    const where = `${basename(e.decidedBy.file)}:${e.decidedBy.line}`;
    lines.push(clip(`${pad}rule ${e.decidedBy.rule} (${where})`));
    if (why) lines.push(clip(`${pad}  because ${why}`));
  } else {
    lines.push(clip(`${pad}no rule fired: fallback`));
  }
  if (e.lastMatchedAt) lines.push(clip(`${pad}last matched ${e.lastMatchedAt}`));
  return lines;
}
