/**
 * The compiled ruleset: what `loadRuleset` produces from validated YAML. Downstream code
 * (engine, bot, cli) reads only these structures and never re-validates.
 */
import type { LinearRegex } from './linear-regex.ts';
import type { TopLevelCondition } from 'json-rules-engine';
import type { Bucket, Domain, SystemRole } from '../model/types.ts';
import type { Books } from './books.ts';
import { type Currency, currencyOf, DEFAULT_CURRENCY } from '../model/money.ts';

/** Where a compiled object was declared, so explanations can point at the YAML. */
export type Declared = { file: string; line: number; column?: number };

export type FileFormat = 'csv' | 'tsv' | 'jsonl';
/** `opening`: a baseline snapshot (positions shape) booked as the ledger's opening balance. */
export type FileKind = 'positions' | 'events' | 'items' | 'opening';

/**
 * How one data file of a source is read. `columns` maps a canonical field name
 * (sku, location, status, quantity, unit, asOf, sourceEventId, type, fromStatus, toStatus,
 * counterpartLocation, occurredAt, recordedAt, reference, reasonCode, skuClass, category,
 * unitCost, baseUnit) to the header name (csv/tsv) or the property name (jsonl) in the file.
 * `constants` supplies a fixed value for a canonical field the file lacks (e.g. unit: each).
 * `statusColumns` reads a wide file: one column per raw status, quantity in the cell.
 * `typeMap` maps the file's event type words to canonical event types.
 */
/** The text encodings a mapped file may be read in (the readers' decoders: connectors/shared/encoding.ts). */
export type TextEncodingName = 'utf-8' | 'windows-1252' | 'iso-8859-1' | 'shift_jis';

export type FileMapping = {
  path: string;
  format: FileFormat;
  kind: FileKind;
  columns: Record<string, string>;
  constants: Record<string, string>;
  statusColumns?: string[];
  typeMap?: Record<string, string>;
  /** 'iso' (default) or a pattern such as 'yyyy-MM-dd HH:mm' read in the source's time zone. */
  dateFormat: string;
  /** Bounds on a line, a mapped cell and a record's lines; defaults in connectors/shared/limits.ts. */
  limits?: { maxLineChars?: number; maxFieldChars?: number; maxRecordLines?: number };
  /**
   * The line of a csv or tsv file that holds its column names (absent: 1); the lines above it (a
   * report's title, its date) are not rows.
   */
  headerLine?: number;
  /**
   * The last lines of a csv or tsv file that are not rows (a report's totals below its rows),
   * blank lines at the end not counted.
   */
  footerLines?: number;
  /** What separates a csv file's fields; absent: a comma (a tsv file's is a tab). */
  delimiter?: ',' | ';' | '|';
  /** How the file's bytes are text; absent: UTF-8. */
  encoding?: TextEncodingName;
  /** How numbers are written, by example: '1234.5' (default), '1,234.5', '1.234,5', … */
  numberFormat?: string;
  /**
   * Events: a negative quantity means the movement in the opposite direction (true), or, with
   * 'stock', the sign says where the stock went: a shipment or transfer out is written with a
   * minus, and one written without is the reversal (SAP's lists, stock ledgers).
   */
  signedQuantity?: boolean | 'stock';
  /**
   * The name of the file's rejects file when its own name would be another's of the same source:
   * its path in the data folder (`east/stock.csv`, `west/stock.csv`), with its role when the
   * source reads the same file as opening and as positions (`stock.csv.opening`). Set by
   * compileSources; absent, the file's name is used.
   */
  rejectsName?: string;
};

export type SourceDef = Declared & {
  id: string;
  connector: string;
  role: SystemRole;
  /** Receiver name of the team that owns the source's data. */
  owner: string;
  timezone: string;
  /** Daily cutoff in the source's time zone, minutes after midnight. */
  cutoffMinutes: number;
  expectedLagMinutes: number;
  /**
   * A channel's orders as the books name them (globs): a booked shipment whose reference
   * matches must appear in the channel. Absent: no shipment is required there.
   */
  orderReferences?: string[];
  systemOfRecord: Domain[];
  /** Canonical locations this source reports on. */
  locations: string[];
  /** Schedule group (the bot runs each group on its own cron). */
  group: string;
  files: FileMapping[];
  /** Connector-specific settings (endpoint, query set …), validated by the connector. */
  settings: Record<string, unknown>;
};

/** Per source: raw status/quantity name → bucket, or 'ignore' for derived totals (on_hand). */
export type StatusMaps = Map<string, Map<string, Bucket | 'ignore'>>;

export type UnitSpec = { baseUnit: string; factors: Map<string, number> };
export type Units = {
  /** The currency of every money value in the rules and the data (default USD, exponent 2). */
  currency?: Currency;
  bySku: Map<string, UnitSpec>;
  byClass: Map<string, UnitSpec>;
  defaultBaseUnit: string;
  /** Source unit words → unit (EA → each); every spec's factors already include them. */
  aliases?: Map<string, string>;
  /** The spec of an item with neither a sku nor a class spec: the default base unit and its aliases. */
  defaultSpec?: UnitSpec;
};

/** The ruleset's currency: Units `currency`, else Accounts `currency`, else USD. */
export function currencyOfRules(r: { units: Units; accounts?: Accounts }): Currency {
  const fromAccounts = r.accounts?.currency ? currencyOf(r.accounts.currency) : undefined;
  return r.units.currency ?? fromAccounts ?? DEFAULT_CURRENCY;
}

export const LOCATION_LEVELS = ['site', 'warehouse', 'zone', 'bin'] as const;
export type LocationLevel = (typeof LOCATION_LEVELS)[number];

export type LocationNode = {
  id: string;
  level: LocationLevel;
  parent?: string;
  /** e.g. own_warehouse, 3pl_warehouse, store, marketplace_network, virtual */
  type: string;
  name?: string;
};

export type Mappings = {
  /** source id → alias → canonical sku */
  skuAliases: Map<string, Map<string, string>>;
  /** Items declared in the rules (small deployments); item master files add to these. */
  /** unitCost as exact decimal text, like the item master's. */
  items: Map<string, { skuClass: string; category?: string; unitCost?: string }>;
  locations: Map<string, LocationNode>;
  /** source id → location code → canonical location id */
  locationCodes: Map<string, Map<string, string>>;
  /**
   * Codes mapped by glob, tried in order after the exact codes and the declared ids; an entry
   * without a source applies to every source (validation refuses two that overlap).
   */
  locationPatterns?: LocationPattern[];
  /** Level at which positions are compared; finer locations roll up to it. */
  compareLevel: LocationLevel;
  /** Per source pair: how references that differ still name one movement (always set by loadRuleset). */
  crosswalks?: Crosswalk[];
};

export type LocationPattern = Declared & {
  source?: string;
  glob: string;
  regex: LinearRegex;
  location: string;
};

/** A compiled crosswalk between two sources (Mappings `referenceCrosswalk`). */
export type Crosswalk = {
  sources: [string, string];
  /** Rewrites of the first source's references into the second's, tried in order. */
  patterns: { from: LinearRegex; to: string }[];
  /** An amended document ("MAT-STE-0042-1") pairs with the original ("MAT-STE-0042"). */
  amendments: boolean;
  /** An event whose counterpartReference names the other event's reference pairs with it. */
  counterpartReference?: boolean;
  /** Unlinked events pair by sku, location, type, quantity and time within the posting lag. */
  proximity: boolean;
};

export type ToleranceSelector = {
  /** One canonical SKU: beats every entry that does not name a SKU. */
  sku?: string;
  skuClass?: string;
  location?: string;
  bucket?: Bucket;
  /** Unordered pair of source ids. */
  sources?: [string, string];
};

export type ToleranceEntry = Declared & {
  selector: ToleranceSelector;
  /** Base units. */
  absolute?: number;
  percent?: number;
  /** Currency units of value at risk. */
  value?: number;
  /**
   * How `absolute` and `percent` combine: 'smaller' (default) needs both to hold, 'larger'
   * either ("2 units or 1 %, whichever is larger"). `value`, when set, must always hold.
   */
  combine?: 'larger' | 'smaller';
  /**
   * The most specific entry wins, ties go to the first listed: naming a SKU counts above any
   * number of other fields (SKU_WEIGHT), then one per selector field set.
   */
  specificity: number;
};

export type Tolerances = { entries: ToleranceEntry[] };

export type TimingWindows = Declared & {
  /** Hours a transfer may stay in transit before it is late. */
  inTransitHours: { from?: string; to?: string; hours: number }[];
  defaultInTransitHours: number;
  /** Minutes a source may lag another one for the same movement. */
  postingLag: { from: string; to: string; minutes: number }[];
  defaultPostingLagMinutes: number;
};

export type Outcome =
  | { type: 'match' }
  | { type: 'explained'; code: string }
  | { type: 'exception'; severity: Severity; rootCause: string };

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type ClassificationRule = Declared & {
  name: string;
  description?: string;
  /** Higher runs first; the highest-priority rule that fires decides. */
  priority: number;
  conditions: TopLevelCondition;
  outcome: Outcome;
};

export type Classification = {
  rules: ClassificationRule[];
  /** Applied when no rule fires for a difference. */
  fallback: Outcome;
};

export type Receiver = Declared & {
  name: string;
  slackChannel: string;
  /** Slack user-group id (S…) of the owning team, mentioned on new exceptions. */
  ownerGroup?: string;
  /** Channel for the manager digest; defaults to slackChannel. */
  digestChannel?: string;
};

export type Matcher = {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  /** Compiled once for =~ and !~ (anchored like Alertmanager), on a linear-time engine. */
  regex?: LinearRegex;
};

export type RouteNode = Declared & {
  /** Stable path for explanations, e.g. "root/0/1". */
  id: string;
  receiver: string;
  matchers: Matcher[];
  continue: boolean;
  routes: RouteNode[];
};

export type Role = 'viewer' | 'resolver' | 'approver';

export type RoleGrant = Declared & {
  /** A Slack user id (U…/W…) or user-group id (S…). */
  subject: string;
  subjectKind: 'user' | 'group';
  role: Role;
  /** Locations this grant covers; empty = every location. */
  locations: string[];
  /** Approver's limit per correction, in value (currency units); undefined = unlimited. */
  approvalLimitValue?: number;
};

export type Roles = {
  grants: RoleGrant[];
  /** Corrections whose value exceeds this (currency units) need two distinct approvers. */
  twoApproverThresholdValue: number;
  /** The currency of the limits (units.yaml `currency`); USD when absent. */
  currency?: Currency;
};

export type RulesetVersion = {
  /** sha256 of the normalized ruleset, first 12 hex digits. */
  hash: string;
  /** git commit of the rules folder, when it is in a git checkout. */
  commit?: string;
  /** `hash` or `hash@commit`, stamped on every run, exception, message and audit entry. */
  label: string;
};

export type Ruleset = {
  dir: string;
  files: string[];
  version: RulesetVersion;
  sources: Map<string, SourceDef>;
  /**
   * The book per (domain, location), resolved over the location hierarchy (always set by
   * loadRuleset; `booksOf` derives it from the sources for rulesets built by hand).
   */
  books?: Books;
  statusMaps: StatusMaps;
  units: Units;
  mappings: Mappings;
  tolerances: Tolerances;
  timing: TimingWindows;
  classification: Classification;
  receivers: Map<string, Receiver>;
  routes: RouteNode;
  roles: Roles;
  /** Schedule groups declared in the Sources rules (always set by loadRuleset). */
  schedules?: ScheduleGroup[];
  /** General-ledger accounts for the month-end journal; absent without an Accounts file. */
  accounts?: Accounts;
  /** Pilot (shadow) mode: what is kept out of owner channels, and where the report goes. */
  pilot?: Pilot;
  /** When the manager digest is posted (Owners `digest`); absent when the file says nothing. */
  digest?: DigestSchedule;
};

/** Owners `digest`: the digest's cron and time zone (the environment may override both). */
export type DigestSchedule = Declared & { cron?: string; timezone?: string };

/** The Accounts rules: where an inventory adjustment of each reason code is posted. */
export type Accounts = Declared & {
  currency?: string;
  inventoryAssetAccount: string;
  /** Catalogue reason code → adjustment (expense or income) account. */
  adjustmentAccounts: Map<string, string>;
  defaultAdjustmentAccount?: string;
};

/**
 * Pilot mode (docs/rules.md "Pilot mode"): exceptions in scope are stored as usual but never posted to owner
 * channels; one daily report goes to `report.channel` instead. `all` is `tally serve --pilot`.
 */
export type Pilot = {
  all: boolean;
  /** Schedule groups in pilot: an exception of one of their sources is in scope. */
  groups: Set<string>;
  /** Locations in pilot, expanded to everything below them. */
  locations: Set<string>;
  report?: PilotReport;
};

export type PilotReport = Declared & {
  channel: string;
  cron: string;
  timezone: string;
  /** URL or path of the latest compare report (`tally pilot compare --format html --out`). */
  compareReport?: string;
};

/**
 * Canonical field names a FileMapping's `columns`/`constants` may use, besides `alias:<source id>`
 * (an item master column holding that source's id for the item) and `pack:<unit>` (an item
 * master column holding how many base units one <unit> holds, e.g. a case pack). A `columns` value may join two
 * file columns with "+" (`posting_date+posting_time`): the reader joins their values with one
 * space before applying `dateFormat`.
 */
export const CANONICAL_FIELDS = [
  'sku',
  'location',
  'status',
  'quantity',
  'unit',
  'asOf',
  'sourceEventId',
  'type',
  'fromStatus',
  'toStatus',
  'counterpartLocation',
  'fromLocation',
  'toLocation',
  'occurredAt',
  'recordedAt',
  'reference',
  'counterpartReference',
  'reasonCode',
  'skuClass',
  'category',
  'unitCost',
  'baseUnit',
  'packUnit',
  'packFactor',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** The fields of an item master row, the SKU first; read in this order by the connectors. */
export const ITEM_FIELDS = [
  'sku',
  'skuClass',
  'category',
  'baseUnit',
  'unitCost',
  'packUnit',
  'packFactor',
] as const;

/** A schedule group of the Sources rules: the bot runs the group's sources on its cron. */
export type ScheduleGroup = Declared & { group: string; cron: string; timezone: string };
