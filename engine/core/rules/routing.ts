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

export type RouteResult = {
  receivers: Receiver[];
  /** Every node that matched, depth first from the root (explains the decision). */
  path: RouteNode[];
  /** The nodes that delivered (matched, and no child of theirs took the exception). */
  leaves: RouteNode[];
};

export function routeFor(
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
  return { receivers, path, leaves };
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
