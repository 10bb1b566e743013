/** Cross-file checks of Owners: receivers, the fallback route and every route's matchers. */
import { parseMatcher } from '../matchers.ts';
import type { Loaded, RouteDoc } from '../docs.ts';
import { quoteList, report, uniqueNames } from './context.ts';
import type { CheckContext } from './context.ts';

export function checkOwners(ctx: CheckContext): void {
  const at = ctx.docs.Owners[0];
  if (!at) return;
  const receivers = uniqueNames(
    ctx,
    at.doc.receivers.map((r, i) => ({
      at,
      segments: ['receivers', i, 'name'],
      name: r.name,
      what: 'receiver',
    })),
  );
  const root = at.doc.route;
  if (!root.receiver) {
    const msg =
      'the root route needs a receiver: it is the fallback for exceptions no other route takes';
    report(ctx, at, ['route'], 'NO_FALLBACK_ROUTE', msg);
  }
  if ((root.matchers ?? []).length > 0) {
    const msg =
      'the root route must match everything (it is the fallback); move its matchers into a child route';
    report(ctx, at, ['route', 'matchers'], 'NO_FALLBACK_ROUTE', msg);
  }
  walk(ctx, at, root, ['route'], receivers);
}

function walk(
  ctx: CheckContext,
  at: Loaded<'Owners'>,
  route: RouteDoc,
  here: (string | number)[],
  receivers: Set<string>,
): void {
  if (route.receiver !== undefined && !receivers.has(route.receiver)) {
    const msg = `unknown receiver "${route.receiver}" (receivers: ${quoteList(receivers)})`;
    report(ctx, at, [...here, 'receiver'], 'UNKNOWN_RECEIVER', msg);
  }
  (route.matchers ?? []).forEach((text, i) => {
    const m = parseMatcher(text);
    if ('error' in m) report(ctx, at, [...here, 'matchers', i], 'BAD_MATCHER', m.error);
  });
  (route.routes ?? []).forEach((child, i) =>
    walk(ctx, at, child, [...here, 'routes', i], receivers),
  );
}
