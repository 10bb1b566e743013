/** Alertmanager semantics of the owners tree, as written in docs/rules.md. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeFor } from './routing.ts';
import { rulesetWith } from '../../../test/support/engine/overlay.ts';
import type { RouteNode, Ruleset } from './types.ts';

const OWNERS = `apiVersion: tally/v1
kind: Owners
receivers:
  - { name: central, slackChannel: '#central' }
  - { name: east, slackChannel: '#east' }
  - { name: channel, slackChannel: '#channel' }
  - { name: finance, slackChannel: '#finance' }
  - { name: loss, slackChannel: '#loss' }
route:
  receiver: central
  routes:
    - matchers: ['cause="OVERSELL_RISK"']
      receiver: channel
      continue: true
    - matchers: ['location="WH-1"']
      receiver: east
      routes:
        - matchers: ['source="erp"', 'cause=~"MISSING_.*"']
          receiver: finance
        - matchers: ['severity!="low"', 'skuClass!~"apparel|shoes"']
        - matchers: ['bucket="non_sellable"']
          receiver: loss
    - matchers: ['location=~"WH-.*"']
      receiver: finance
`;
const SOURCES = `apiVersion: tally/v1
kind: Sources
sources:
  - { id: wms, connector: csv, role: wms, owner: central, timezone: UTC, cutoff: '23:00',
      systemOfRecord: [physical_movements], locations: [WH-1], group: nightly }
`;

let r: Ruleset;
beforeAll(async () => {
  r = await rulesetWith({ 'owners.yaml': OWNERS, 'sources.yaml': SOURCES });
});
const names = (labels: Record<string, string>) => routeFor(r, labels).receivers.map((x) => x.name);
const ids = (labels: Record<string, string>) => routeFor(r, labels).path.map((n) => n.id);

describe('routeFor', () => {
  it('falls back to the root receiver when no route matches', () => {
    expect(names({ location: 'STORE-1' })).toEqual(['central']);
    expect(ids({ location: 'STORE-1' })).toEqual(['root']);
  });

  it('stops at the first matching sibling', () => {
    // WH-1 also matches the later location=~"WH-.*" route, which is never reached
    expect(names({ location: 'WH-1', severity: 'low', skuClass: 'apparel' })).toEqual(['east']);
  });

  it('goes on after a route with continue', () => {
    expect(names({ cause: 'OVERSELL_RISK', location: 'WH-2' })).toEqual(['channel', 'finance']);
    expect(ids({ cause: 'OVERSELL_RISK', location: 'WH-2' })).toEqual(['root', 'root/0', 'root/2']);
  });

  it('descends into children, first match wins among them', () => {
    const labels = { location: 'WH-1', source: 'erp', cause: 'MISSING_POSTING', severity: 'high' };
    expect(names(labels)).toEqual(['finance']);
    expect(ids(labels)).toEqual(['root', 'root/1', 'root/1/0']);
  });

  it('a child without a receiver inherits its parent one', () => {
    const labels = { location: 'WH-1', severity: 'high', skuClass: 'beverage' };
    expect(ids(labels)).toEqual(['root', 'root/1', 'root/1/1']);
    expect(names(labels)).toEqual(['east']);
    expect(routeFor(r, labels).leaves[0]!.receiver).toBe('east');
  });

  it('the parent delivers when none of its children match', () => {
    const labels = { location: 'WH-1', severity: 'low', bucket: 'sellable' };
    expect(ids(labels)).toEqual(['root', 'root/1']);
    expect(names(labels)).toEqual(['east']);
  });

  it('treats a missing label as empty and anchors regexes', () => {
    // skuClass missing = "", which does not match apparel|shoes, so !~ holds
    expect(ids({ location: 'WH-1', severity: 'high' })).toEqual(['root', 'root/1', 'root/1/1']);
    // "XWH-1" does not match the anchored WH-.*
    expect(names({ location: 'XWH-1' })).toEqual(['central']);
  });

  it('lists each receiver once', () => {
    const labels = {
      cause: 'OVERSELL_RISK',
      location: 'WH-1',
      bucket: 'non_sellable',
      severity: 'low',
    };
    expect(names(labels)).toEqual(['channel', 'loss']);
  });

  it('decides alike whether a decision was kept from an earlier call or made afresh', () => {
    const copy = (n: RouteNode): RouteNode => ({ ...n, routes: n.routes.map(copy) });
    const pick = (values: string[]) => fc.constantFrom(...values);
    const labels = fc.record({
      sku: fc.string({ maxLength: 4 }),
      location: pick(['WH-1', 'WH-2', 'STORE-1', '']),
      source: pick(['erp', 'wms', 'shop']),
      cause: pick(['OVERSELL_RISK', 'MISSING_POSTING', 'MISSING_RECEIPT', 'OTHER']),
      severity: pick(['low', 'high', '']),
      skuClass: pick(['apparel', 'shoes', 'food']),
      bucket: pick(['sellable', 'non_sellable']),
    });
    fc.assert(
      fc.property(fc.array(labels, { maxLength: 30 }), (calls) => {
        for (const l of calls) {
          // a copy of the tree has no decisions kept
          const fresh = routeFor({ routes: copy(r.routes), receivers: r.receivers }, l);
          const kept = routeFor(r, l);
          expect(kept.receivers.map((x) => x.name)).toEqual(fresh.receivers.map((x) => x.name));
          expect(kept.path.map((n) => n.id)).toEqual(fresh.path.map((n) => n.id));
          expect(kept.leaves.map((n) => n.id)).toEqual(fresh.leaves.map((n) => n.id));
          // a kept decision is shared: no caller can change it for the next
          expect(Object.isFrozen(kept) && Object.isFrozen(kept.receivers)).toBe(true);
          expect(Object.isFrozen(kept.path) && Object.isFrozen(kept.leaves)).toBe(true);
        }
      }),
    );
  });
});
