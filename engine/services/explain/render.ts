/** Text rendering of key traces: this rule, because these facts (STYLE.md 5). */
import type { RuleTrace } from '../../core/recon/types.ts';
import type { KeyTrace } from './trace-key.ts';
import { describeCandidates } from '../../core/recon/candidates.ts';

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function valueOf(v: unknown): string {
  if (v && typeof v === 'object' && 'fact' in v)
    return `fact ${String((v as { fact: unknown }).fact)}`;
  return show(v);
}

function outcomeLine(t: KeyTrace): string {
  const o = t.outcome;
  if (o.type === 'match')
    return t.classified ? 'match' : 'match (equal, nothing pending: the rules were not needed)';
  if (o.type === 'explained') return `explained ${o.code}`;
  const more = t.causes.length > 1 ? `; likely causes ${t.causes.join(', ')}` : '';
  return `exception ${o.rootCause} (${o.severity})${more}`;
}

export function conditionLines(rule: RuleTrace, indent = '      '): string[] {
  return rule.conditions.map((c) => {
    const path = c.path ? `${c.path} ` : '';
    const mark = c.result ? 'true ' : 'false';
    return `${indent}${mark}  ${c.fact} ${path}${c.operator} ${valueOf(c.value)}  (fact value ${show(c.factValue)})`;
  });
}

export function renderTrace(t: KeyTrace): string[] {
  const lines = [`${t.sku} @ ${t.location} ${t.bucket} — source ${t.source}`];
  lines.push(`  outcome    ${outcomeLine(t)}`);
  const ev = t.evidence;
  if (ev) {
    const others = Object.entries(ev.quantities)
      .map(([s, q]) => `${s} ${q}`)
      .join(' · ');
    lines.push(
      `  quantities expected ${ev.expected} ${ev.unit} · ${others} · variance ${ev.variance}`,
    );
    if (ev.candidates?.length) {
      lines.push('  ranked causes (facts for and against):');
      lines.push(...describeCandidates(ev.candidates).map((l) => `      ${l}`));
    }
    for (const l of ev.linked ?? []) {
      lines.push(
        `  same problem ${l.source} ${l.bucket}: ${l.quantity} vs expected ${l.expected} (${l.cause})`,
      );
    }
    const tol = ev.tolerance;
    const limits = tol
      ? [
          tol.absolute !== undefined ? `absolute ${tol.absolute}` : '',
          tol.percent !== undefined ? `percent ${tol.percent}` : '',
          tol.value !== undefined ? `value ${tol.value}` : '',
        ].filter(Boolean)
      : [];
    const within = t.facts?.withinTolerance ? 'within' : 'not within';
    lines.push(
      `  tolerance  ${tol ? `${limits.join(', ')} from ${tol.from}` : 'none (only an exact match is within)'} → ${within}`,
    );
  }
  if (t.classified) lines.push(...decisionLines(t));
  if (t.route) {
    const names = t.route.receivers.map((r) => `${r.name} (${r.slackChannel})`).join(', ');
    lines.push(`  route      ${names} via ${t.route.path.map((n) => n.id).join(' → ')}`);
    for (const leaf of t.route.leaves)
      lines.push(`             delivered by ${leaf.id} at ${leaf.file}:${leaf.line}`);
  } else if (t.classified) {
    lines.push('  route      none (only exceptions are routed)');
  }
  lines.push(`  ruleset    ${t.rulesetVersion}`);
  return lines;
}

function decisionLines(t: KeyTrace): string[] {
  const lines: string[] = [];
  const d = t.decidedBy;
  const decided = d ? t.rules.find((r) => r.rule === d.name && r.line === d.line) : undefined;
  if (d && decided) {
    lines.push(`  decided by ${d.name} (${d.file}:${d.line}), priority ${d.priority}`);
    lines.push(...conditionLines(decided));
  } else {
    lines.push('  decided by the fallback: no rule fired');
  }
  const above = t.rules.filter(
    (r) => !r.fired && (!d || r.priority >= d.priority) && r !== decided,
  );
  if (above.length > 0) {
    lines.push('  not fired (higher priority):');
    for (const r of above) {
      const failed = r.conditions
        .filter((c) => !c.result)
        .map((c) => `${c.fact}=${show(c.factValue)}`);
      lines.push(
        `      ${r.rule} (${r.file}:${r.line}) — false: ${failed.join(', ') || 'combination'}`,
      );
    }
  }
  return lines;
}
