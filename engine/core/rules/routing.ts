/**
 * Alertmanager routing over the compiled route tree.
 *
 * - The root matches everything.
 * - At a matching node the children are tried in order; the first child whose matchers all
 *   hold takes the exception and the search descends into it the same way. A child with
 *   `continue: true` does not stop the search: the next siblings are tried as well.
 * - A matching node none of whose children match delivers to its own receiver (children
 *   without a receiver inherited their parent's at load time). So the root is the fallback.
 * - Receivers are returned in the order they were reached, each once.
 */
import type { Receiver, RouteNode, Ruleset } from './types.ts';
import { matches } from './matchers.ts';

/** A decision, shared by every caller that asks with the same labels: frozen. */
export type RouteResult = {
  readonly receivers: readonly Receiver[];
  /** Every node that matched, depth first from the root (explains the decision). */
  readonly path: readonly RouteNode[];
  /** The nodes that delivered (matched, and no child of theirs took the exception). */
  readonly leaves: readonly RouteNode[];
};

/**
 * Decisions already made, per route tree, by the values of the labels its matchers name: a
 * run's exceptions share a few hundred of those, and a regex matcher runs on RE2 in
 * WebAssembly (1M keys: 30k results routed, ~0.2 s, for a few hundred distinct decisions).
 */
type Decisions = {
  receivers: Ruleset['receivers'];
  /** The labels the tree's matchers read, in a fixed order. */
  named: string[];
  known: Map<string, RouteResult>;
};
const decided = new WeakMap<RouteNode, Decisions>();
/** Decisions kept per tree; a long-running server starts over past it. */
const DECIDED_LIMIT = 10_000;

export function routeFor(
  ruleset: Pick<Ruleset, 'routes' | 'receivers'>,
  labels: Record<string, string>,
): RouteResult {
  let d = decided.get(ruleset.routes);
  if (!d || d.receivers !== ruleset.receivers) {
    d = { receivers: ruleset.receivers, named: namedLabels(ruleset.routes), known: new Map() };
    decided.set(ruleset.routes, d);
  }
  let key = '';
  for (const l of d.named) key += `${labels[l] ?? ''}\u0000`;
  let result = d.known.get(key);
  if (!result) {
    result = decide(ruleset, labels);
    if (d.known.size >= DECIDED_LIMIT) d.known.clear();
    d.known.set(key, result);
  }
  return result;
}

function namedLabels(root: RouteNode): string[] {
  const named = new Set<string>();
  const walk = (node: RouteNode) => {
    for (const m of node.matchers) named.add(m.label);
    node.routes.forEach(walk);
  };
  walk(root);
  return [...named].sort();
}

function decide(
  ruleset: Pick<Ruleset, 'routes' | 'receivers'>,
  labels: Record<string, string>,
): RouteResult {
  const path: RouteNode[] = [];
  const leaves: RouteNode[] = [];
  descend(ruleset.routes, labels, path, leaves);
  const receivers: Receiver[] = [];
  for (const leaf of leaves) {
    const r = ruleset.receivers.get(leaf.receiver);
    if (r && !receivers.includes(r)) receivers.push(r);
  }
  return Object.freeze({
    receivers: Object.freeze(receivers),
    path: Object.freeze(path),
    leaves: Object.freeze(leaves),
  });
}

function descend(
  node: RouteNode,
  labels: Record<string, string>,
  path: RouteNode[],
  leaves: RouteNode[],
): void {
  path.push(node);
  let taken = false;
  for (const child of node.routes) {
    if (!child.matchers.every((m) => matches(m, labels))) continue;
    descend(child, labels, path, leaves);
    taken = true;
    if (!child.continue) break;
  }
  if (!taken) leaves.push(node);
}
