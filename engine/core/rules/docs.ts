/**
 * Typed views of schema-valid rule documents. These mirror rules/schema/*.json; the loader
 * only hands a document to checks and compilation after ajv has accepted it.
 */
import type { RuleKind } from './kinds.ts';
import type { RuleFile } from './yaml-file.ts';
import type { LocationFileDoc } from './location-files.ts';
import type { TextEncodingName } from './types.ts';

export type FileDoc = {
  path: string;
  format: 'csv' | 'tsv' | 'jsonl';
  kind: 'positions' | 'events' | 'items' | 'opening';
  columns: Record<string, string>;
  constants?: Record<string, string>;
  statusColumns?: string[];
  typeMap?: Record<string, string>;
  dateFormat?: string;
  limits?: { maxLineChars?: number; maxFieldChars?: number; maxRecordLines?: number };
  numberFormat?: string;
  encoding?: TextEncodingName;
  delimiter?: ',' | ';' | '|';
  headerLine?: number;
  footerLines?: number;
  signedQuantity?: boolean | 'stock';
};
export type SourceDoc = {
  id: string;
  connector: string;
  role: string;
  owner: string;
  timezone: string;
  cutoff: string;
  expectedLagMinutes?: number;
  orderReferences?: string[];
  systemOfRecord: string[];
  locations: string[];
  group: string;
  files?: FileDoc[];
  settings?: Record<string, unknown>;
};
export type SourcesDoc = {
  schedules?: { group: string; cron: string; timezone?: string; pilot?: boolean }[];
  systemsOfRecord?: { location: string; domain: string; source: string }[];
  sources: SourceDoc[];
};
export type StatusMapDoc = { statusMaps: Record<string, Record<string, string>> };
export type UnitSpecDoc = { baseUnit: string; conversions?: Record<string, number> };
export type UnitsDoc = {
  currency?: string;
  defaultBaseUnit: string;
  aliases?: Record<string, string>;
  classes?: Record<string, UnitSpecDoc>;
  skus?: Record<string, UnitSpecDoc>;
};
export type LocationDoc = {
  id: string;
  level: string;
  parent?: string;
  type: string;
  name?: string;
  pilot?: boolean;
};
export type LocationRangeDoc = {
  prefix: string;
  from: number;
  to: number;
  digits?: number;
  level: string;
  parent?: string;
  type: string;
};
export type MappingsDoc = {
  compareLevel: string;
  locations: LocationDoc[];
  locationRanges?: LocationRangeDoc[];
  locationCodes?: Record<string, Record<string, string>>;
  locationPatterns?: { source?: string; glob: string; location: string }[];
  locationFiles?: LocationFileDoc[];
  skuAliases?: Record<string, Record<string, string>>;
  items?: Record<string, { skuClass: string; category?: string; unitCost?: number | string }>;
  referenceCrosswalk?: {
    sources: string[];
    patterns?: { from: string; to: string }[];
    amendments?: boolean;
    counterpartReference?: boolean;
    proximity?: boolean;
  }[];
};
export type ToleranceDoc = {
  name?: string;
  match?: {
    sku?: string;
    skuClass?: string;
    location?: string;
    bucket?: string;
    sources?: string[];
  };
  combine?: 'larger' | 'smaller';
  absolute?: number;
  percent?: number;
  value?: number;
};
export type TolerancesDoc = { tolerances: ToleranceDoc[] };
export type TimingWindowsDoc = {
  inTransit: { defaultHours: number; windows?: { from?: string; to?: string; hours: number }[] };
  postingLag: {
    defaultMinutes: number;
    pairs?: { from: string; to: string; minutes: number }[];
  };
};
export type ConditionDoc = {
  all?: ConditionDoc[];
  any?: ConditionDoc[];
  not?: ConditionDoc;
  fact?: string;
  operator?: string;
  value?: unknown;
  path?: string;
};
export type OutcomeDoc = { type: string; code?: string; severity?: string; rootCause?: string };
export type RuleDoc = {
  name: string;
  description?: string;
  priority: number;
  conditions: ConditionDoc;
  outcome: OutcomeDoc;
};
export type ClassificationDoc = { fallback: OutcomeDoc; rules: RuleDoc[] };
export type ReceiverDoc = {
  name: string;
  slackChannel: string;
  ownerGroup?: string;
  digestChannel?: string;
};
export type RouteDoc = {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  routes?: RouteDoc[];
};
export type PilotReportDoc = {
  reportChannel: string;
  reportCron?: string;
  timezone?: string;
  compareReport?: string;
};
export type OwnersDoc = {
  receivers: ReceiverDoc[];
  route: RouteDoc;
  pilot?: PilotReportDoc;
  digest?: { cron?: string; timezone?: string };
};
export type GrantDoc = {
  subject: string;
  role: string;
  locations?: string[];
  approvalLimitValue?: number;
};
export type RolesDoc = { twoApproverThresholdValue: number; grants: GrantDoc[] };
export type AccountsDoc = {
  currency?: string;
  inventoryAssetAccount: string;
  defaultAdjustmentAccount?: string;
  adjustmentAccounts?: Record<string, string>;
};

export type DocOf = {
  Sources: SourcesDoc;
  StatusMap: StatusMapDoc;
  Units: UnitsDoc;
  Mappings: MappingsDoc;
  Tolerances: TolerancesDoc;
  TimingWindows: TimingWindowsDoc;
  ClassificationRules: ClassificationDoc;
  Owners: OwnersDoc;
  Roles: RolesDoc;
  Accounts: AccountsDoc;
};

/** A schema-valid document with the file it came from. */
export type Loaded<K extends RuleKind> = { kind: K; rf: RuleFile; doc: DocOf[K] };

export type LoadedDocs = { [K in RuleKind]: Loaded<K>[] };
