/**
 * A hand-built Ruleset shaped like the bundled demo deployment, for engine tests that must not
 * depend on the YAML loader. Override any part through `overrides`.
 */
import type { Bucket, Domain, SystemRole } from '../../../engine/core/model/types.ts';
import type {
  ClassificationRule,
  LocationNode,
  Outcome,
  Ruleset,
  SourceDef,
  UnitSpec,
} from '../../../engine/core/rules/types.ts';

const declared = { file: 'test', line: 1 };

function source(
  id: string,
  role: SystemRole,
  systemOfRecord: Domain[],
  locations: string[],
): SourceDef {
  return {
    ...declared,
    id,
    connector: 'file',
    role,
    owner: `${id}-team`,
    timezone: 'UTC',
    cutoffMinutes: 23 * 60,
    expectedLagMinutes: 60,
    systemOfRecord,
    locations,
    group: 'default',
    files: [],
    settings: {},
  };
}

const WAREHOUSES = ['WH-EAST', 'WH-WEST', 'STORE-NYC', 'STORE-SF'];

function locations(): Map<string, LocationNode> {
  const nodes: LocationNode[] = [
    { id: 'NA', level: 'site', type: 'site' },
    { id: 'WH-EAST', level: 'warehouse', parent: 'NA', type: 'own_warehouse' },
    { id: 'WH-EAST-A', level: 'zone', parent: 'WH-EAST', type: 'zone' },
    { id: 'WH-WEST', level: 'warehouse', parent: 'NA', type: '3pl_warehouse' },
    { id: 'STORE-NYC', level: 'warehouse', parent: 'NA', type: 'store' },
    { id: 'STORE-SF', level: 'warehouse', parent: 'NA', type: 'store' },
  ];
  for (let i = 1; i <= 5; i++) {
    const id = `WH-EAST-A-0${i}`;
    nodes.push({ id, level: 'bin', parent: 'WH-EAST-A', type: 'bin' });
  }
  return new Map(nodes.map((n) => [n.id, n]));
}

function statusMaps(): Map<string, Map<string, Bucket | 'ignore'>> {
  const m = (entries: Record<string, Bucket | 'ignore'>) => new Map(Object.entries(entries));
  return new Map([
    [
      'erp',
      m({
        Unrestricted: 'sellable',
        Reserved: 'committed',
        Blocked: 'non_sellable',
        'In Transit': 'in_transit',
      }),
    ],
    [
      'wms-east',
      m({
        AVAILABLE: 'sellable',
        ALLOCATED: 'committed',
        DAMAGED: 'non_sellable',
        QC_HOLD: 'non_sellable',
        RETURNS_QA: 'non_sellable',
        INBOUND: 'in_transit',
      }),
    ],
    [
      '3pl-west',
      m({
        available: 'sellable',
        allocated: 'committed',
        damaged: 'non_sellable',
        hold: 'non_sellable',
        inbound: 'in_transit',
      }),
    ],
    [
      'shop',
      m({
        available: 'sellable',
        committed: 'committed',
        damaged: 'non_sellable',
        incoming: 'in_transit',
        on_hand: 'ignore',
      }),
    ],
    ['pos', m({ ON_HAND: 'sellable', DAMAGED: 'non_sellable' })],
  ]);
}

function units() {
  const each: UnitSpec = {
    baseUnit: 'each',
    factors: new Map([
      ['each', 1],
      ['EA', 1],
      ['Nos', 1],
    ]),
  };
  const beverage: UnitSpec = {
    baseUnit: 'each',
    factors: new Map([
      ['each', 1],
      ['EA', 1],
      ['Nos', 1],
      ['case', 12],
      ['CS', 12],
      ['Case', 12],
      ['pack', 6],
    ]),
  };
  return {
    aliases: new Map([
      ['EA', 'each'],
      ['Nos', 'each'],
      ['CS', 'case'],
      ['Case', 'case'],
      ['PK', 'pack'],
    ]),
    bySku: new Map<string, UnitSpec>(),
    byClass: new Map([
      ['apparel', each],
      ['beverage', beverage],
      ['electronics', each],
    ]),
    defaultBaseUnit: 'each',
  };
}

export type RuleSpec = {
  name: string;
  priority: number;
  conditions: ClassificationRule['conditions'];
  outcome: Outcome;
};

export type FixtureOptions = {
  rules?: RuleSpec[];
  fallback?: Outcome;
  items?: Record<string, { skuClass: string; unitCost?: string }>;
  skuAliases?: Record<string, Record<string, string>>;
};

export function buildRuleset(options: FixtureOptions = {}): Ruleset {
  const sources = [
    source('erp', 'erp', ['item_master', 'financial_postings'], WAREHOUSES),
    source('wms-east', 'wms', ['physical_movements'], ['WH-EAST']),
    source('3pl-west', '3pl', ['physical_movements'], ['WH-WEST']),
    {
      ...source('shop', 'ecommerce', ['channel_availability'], ['WH-EAST', 'WH-WEST']),
      orderReferences: ['SO-W*'],
    },
    source('pos', 'pos', ['physical_movements'], ['STORE-NYC', 'STORE-SF']),
  ];
  const lag = (from: string, to: string, minutes: number) => ({ from, to, minutes });
  return {
    dir: 'test',
    files: [],
    version: { hash: 'fixture00000', label: 'fixture00000' },
    sources: new Map(sources.map((s) => [s.id, s])),
    statusMaps: statusMaps(),
    units: units(),
    mappings: {
      skuAliases: new Map(
        Object.entries(options.skuAliases ?? {}).map(([s, m]) => [s, new Map(Object.entries(m))]),
      ),
      items: new Map(Object.entries(options.items ?? {})),
      locations: locations(),
      locationCodes: new Map([
        [
          'erp',
          new Map([
            ['East DC - TC', 'WH-EAST'],
            ['West 3PL - TC', 'WH-WEST'],
            ['Store NYC - TC', 'STORE-NYC'],
          ]),
        ],
        ['3pl-west', new Map([['LAX1', 'WH-WEST']])],
        [
          'shop',
          new Map([
            ['gid://shopify/Location/1', 'WH-EAST'],
            ['gid://shopify/Location/2', 'WH-WEST'],
          ]),
        ],
        [
          'pos',
          new Map([
            ['NYC', 'STORE-NYC'],
            ['SF', 'STORE-SF'],
          ]),
        ],
      ]),
      compareLevel: 'warehouse',
    },
    tolerances: { entries: [] },
    timing: {
      ...declared,
      inTransitHours: [],
      defaultInTransitHours: 72,
      postingLag: [
        lag('wms-east', 'erp', 240),
        lag('3pl-west', 'erp', 720),
        lag('pos', 'erp', 1440),
        lag('wms-east', 'shop', 120),
        lag('3pl-west', 'shop', 120),
      ],
      defaultPostingLagMinutes: 60,
    },
    classification: {
      rules: (options.rules ?? []).map((r) => ({ ...declared, ...r })),
      fallback: options.fallback ?? {
        type: 'exception',
        severity: 'medium',
        rootCause: 'UNEXPLAINED',
      },
    },
    receivers: new Map(),
    routes: {
      ...declared,
      id: 'root',
      receiver: 'default',
      matchers: [],
      continue: false,
      routes: [],
    },
    roles: { grants: [], twoApproverThresholdValue: 0 },
  };
}
