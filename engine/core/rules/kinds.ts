/** The rule file kinds, their schema files and whether several files of a kind may exist. */
export const RULE_KINDS = [
  'Sources',
  'StatusMap',
  'Units',
  'Mappings',
  'Tolerances',
  'TimingWindows',
  'ClassificationRules',
  'Owners',
  'Roles',
  'Accounts',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const API_VERSION = 'tally/v1';

type KindInfo = {
  schemaFile: string;
  /** Several files of this kind are merged (e.g. one status map file per team). */
  repeatable: boolean;
  /** Top-level key that holds the kind's entries; left out of readable paths. */
  collection?: string;
  /** A ruleset may leave this kind out (what needs it says so when it is missing). */
  optional?: boolean;
};

export const KIND_INFO: Record<RuleKind, KindInfo> = {
  Sources: { schemaFile: 'sources.schema.json', repeatable: true, collection: 'sources' },
  StatusMap: { schemaFile: 'status-map.schema.json', repeatable: true, collection: 'statusMaps' },
  Units: { schemaFile: 'units.schema.json', repeatable: false },
  Mappings: { schemaFile: 'mappings.schema.json', repeatable: false },
  Tolerances: { schemaFile: 'tolerances.schema.json', repeatable: false, collection: 'tolerances' },
  TimingWindows: { schemaFile: 'timing-windows.schema.json', repeatable: false },
  ClassificationRules: {
    schemaFile: 'classification-rules.schema.json',
    repeatable: true,
    collection: 'rules',
  },
  Owners: { schemaFile: 'owners.schema.json', repeatable: false },
  Roles: { schemaFile: 'roles.schema.json', repeatable: false, collection: 'grants' },
  Accounts: {
    schemaFile: 'accounts.schema.json',
    repeatable: false,
    collection: 'adjustmentAccounts',
    optional: true,
  },
};

export function isRuleKind(value: unknown): value is RuleKind {
  return typeof value === 'string' && (RULE_KINDS as readonly string[]).includes(value);
}

/**
 * "erp.files[1].columns" from ["sources", 0, "files", 1, "columns"]: the kind's collection key is
 * dropped and list items are named by their id or name when they have one.
 */
export function readablePath(
  kind: RuleKind | undefined,
  value: unknown,
  segments: readonly (string | number)[],
): string {
  let out = '';
  let node: unknown = value;
  segments.forEach((seg, i) => {
    const child = childOf(node, seg);
    if (i === 0 && kind && KIND_INFO[kind].collection === seg) {
      node = child;
      return;
    }
    if (Array.isArray(node)) {
      const label = itemLabel(child);
      out += label ? (out ? '.' : '') + label : `[${seg}]`;
    } else {
      out += (out ? '.' : '') + String(seg);
    }
    node = child;
  });
  return out;
}

function childOf(node: unknown, seg: string | number): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as Record<string, unknown>)[String(seg)];
}

function itemLabel(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const { id, name } = item as { id?: unknown; name?: unknown };
  if (typeof id === 'string' && id.length <= 64) return id;
  if (typeof name === 'string' && name.length <= 64) return name;
  return undefined;
}

/** "StatusMap shop.damaged: …" or "StatusMap: …" for the document itself. */
export function subject(kind: RuleKind | undefined, where: string): string {
  const k = kind ?? 'Rule file';
  return where ? `${k} ${where}` : k;
}
