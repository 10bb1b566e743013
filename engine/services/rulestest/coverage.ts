/**
 * Coverage of a ruleset by its tests: every classification rule must decide at least one
 * test, and every route (each node of the Owners tree) must deliver at least one.
 */
import type { RouteNode, Ruleset } from '../../core/rules/types.ts';
import type { TestResult } from './types.ts';

export type Uncovered = { kind: 'rule' | 'route'; name: string; file: string; line: number };

export function coverage(ruleset: Ruleset, results: TestResult[]): Uncovered[] {
  const rules = new Set<string>();
  const nodes = new Set<string>();
  for (const r of results) {
    for (const g of r.got) {
      rules.add(g.rule);
      for (const n of g.routeNodes) nodes.add(n);
    }
  }
  const out: Uncovered[] = [];
  for (const rule of ruleset.classification.rules) {
    if (!rules.has(rule.name))
      out.push({ kind: 'rule', name: rule.name, file: rule.file, line: rule.line });
  }
  for (const node of allNodes(ruleset.routes)) {
    if (nodes.has(node.id)) continue;
    const m = node.matchers.map((x) => `${x.label}${x.op}"${x.value}"`).join(', ');
    out.push({
      kind: 'route',
      name: `${node.id} {${m}} → ${node.receiver}`,
      file: node.file,
      line: node.line,
    });
  }
  return out;
}

function allNodes(node: RouteNode): RouteNode[] {
  return [node, ...node.routes.flatMap(allNodes)];
}
