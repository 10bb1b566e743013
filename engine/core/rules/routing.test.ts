/** Alertmanager semantics of the owners tree, as written in docs/rules.md. */
import { beforeAll, describe, expect, it } from 'vitest';
import { routeFor } from './routing.ts';
import { rulesetWith } from '../../../test/support/engine/overlay.ts';
import type { Ruleset } from './types.ts';

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
});
