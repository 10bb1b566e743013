/**
 * Shopify connector settings, read from SourceDef.settings. The access token never appears in
 * settings: only the name of the environment variable that holds it.
 */
import { InputError } from '../../engine/core/errors.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';

export const DEFAULT_API_VERSION = '2025-01';

export type ShopifySettings = {
  endpoint: string;
  accessTokenEnv: string;
  apiVersion: string;
  /** Shopify location gid → location code; when set, only these locations are read. */
  locations?: Map<string, string>;
  /** Maximum attempts per request on 429 / THROTTLED / 5xx. */
  maxAttempts: number;
  /** How long one request may wait for Shopify's answer before it counts as failed. */
  requestTimeoutMs: number;
  /** Records per page (Shopify allows up to 250). */
  pageSize: number;
  /** Name of the env var holding the app secret that signs webhooks. */
  webhookSecretEnv?: string;
};

const API_VERSION = /^\d{4}-\d{2}$|^unstable$/;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

/** Saved responses or bulk JSON Lines read instead of the API (connectors/shopify/offline.ts). */
export type OfflineSettings = {
  inventoryFile?: string;
  bulkFile?: string;
  /** When the files were saved; wins over a date in the file name. */
  inventoryAsOf?: string;
  /** What a position's sku is: the inventory item id (default; mapped by the item master) or its SKU text. */
  itemKey: 'id' | 'sku';
  /** What a position's location is: the location id (default) or its name. */
  locationKey: 'id' | 'name';
  /** Location id or name → location code. */
  locations?: Map<string, string>;
};

const OFFLINE_KEYS = ['inventoryFile', 'bulkFile', 'inventoryAsOf', 'itemKey', 'locationKey'];

/** Whether the source reads saved files rather than the API. */
export function isOffline(source: SourceDef): boolean {
  const s = source.settings ?? {};
  return s.inventoryFile !== undefined || s.bulkFile !== undefined;
}

export function checkShopifySettings(source: SourceDef): string[] {
  const s = source.settings ?? {};
  const where = `source ${source.id} (${source.file}:${source.line}) settings`;
  if (isOffline(source)) return checkOfflineSettings(s, where);
  const problems: string[] = [];
  for (const key of OFFLINE_KEYS)
    if (s[key] !== undefined)
      problems.push(`${where}.${key}: only read with inventoryFile or bulkFile`);
  const hasDomain = s.shopDomain !== undefined;
  const hasEndpoint = s.endpoint !== undefined;
  if (!hasDomain && !hasEndpoint) problems.push(`${where}: set shopDomain or endpoint`);
  if (hasDomain && hasEndpoint) problems.push(`${where}: set only one of shopDomain and endpoint`);
  if (hasDomain && (typeof s.shopDomain !== 'string' || !SHOP_DOMAIN.test(s.shopDomain))) {
    problems.push(`${where}.shopDomain: expected "<shop>.myshopify.com"`);
  }
  if (hasEndpoint && !isHttpUrl(s.endpoint)) {
    problems.push(`${where}.endpoint: expected an http(s) URL`);
  }
  if (typeof s.accessTokenEnv !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(s.accessTokenEnv)) {
    problems.push(`${where}.accessTokenEnv: expected the NAME of an environment variable`);
  }
  if (s.apiVersion !== undefined) {
    if (typeof s.apiVersion !== 'string' || !API_VERSION.test(s.apiVersion)) {
      problems.push(`${where}.apiVersion: expected "YYYY-MM" such as "${DEFAULT_API_VERSION}"`);
    }
  }
  problems.push(...checkLocations(s.locations, where));
  if (
    s.pageSize !== undefined &&
    !(Number.isInteger(s.pageSize) && Number(s.pageSize) >= 1 && Number(s.pageSize) <= 250)
  ) {
    problems.push(`${where}.pageSize: expected an integer from 1 to 250`);
  }
  if (
    s.webhookSecretEnv !== undefined &&
    (typeof s.webhookSecretEnv !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(s.webhookSecretEnv))
  ) {
    problems.push(`${where}.webhookSecretEnv: expected the NAME of an environment variable`);
  }
  if (
    s.maxAttempts !== undefined &&
    !(Number.isInteger(s.maxAttempts) && Number(s.maxAttempts) >= 1)
  ) {
    problems.push(`${where}.maxAttempts: expected an integer ≥ 1`);
  }
  const timeout = s.requestTimeoutSeconds;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0 && timeout <= 600)) {
    problems.push(`${where}.requestTimeoutSeconds: expected a number of seconds from 0 to 600`);
  }
  return problems;
}

function checkLocations(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'string' && v.startsWith('gid://shopify/Location/'))
      ? []
      : [`${where}.locations: expected location gids ("gid://shopify/Location/…")`];
  }
  if (typeof value !== 'object' || value === null) {
    return [`${where}.locations: expected a list of location gids or a map gid → location code`];
  }
  const bad = Object.entries(value).filter(
    ([k, v]) => !k.startsWith('gid://shopify/Location/') || typeof v !== 'string' || v === '',
  );
  return bad.map(([k]) => `${where}.locations.${k}: expected "gid://shopify/Location/…": "<code>"`);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Settings compiled for use; call after checkShopifySettings returned nothing. */
export function shopifySettings(source: SourceDef): ShopifySettings {
  const problems = checkShopifySettings(source);
  if (problems.length > 0) {
    throw new InputError('SHOPIFY_SETTINGS', problems.join('; '), {
      file: source.file,
      line: source.line,
    });
  }
  const s = source.settings;
  const apiVersion = typeof s.apiVersion === 'string' ? s.apiVersion : DEFAULT_API_VERSION;
  const endpoint =
    typeof s.endpoint === 'string'
      ? s.endpoint
      : `https://${String(s.shopDomain)}/admin/api/${apiVersion}/graphql.json`;
  return {
    endpoint,
    accessTokenEnv: String(s.accessTokenEnv),
    apiVersion,
    locations: compileLocations(s.locations),
    maxAttempts: typeof s.maxAttempts === 'number' ? s.maxAttempts : 5,
    requestTimeoutMs:
      (typeof s.requestTimeoutSeconds === 'number' ? s.requestTimeoutSeconds : 30) * 1000,
    pageSize: typeof s.pageSize === 'number' ? s.pageSize : 100,
    webhookSecretEnv: typeof s.webhookSecretEnv === 'string' ? s.webhookSecretEnv : undefined,
  };
}

function compileLocations(value: unknown): Map<string, string> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return new Map(value.map((gid: string) => [gid, gid]));
  return new Map(Object.entries(value as Record<string, string>));
}

/** The token, from the environment; a missing one is a configuration problem. */
export function accessToken(settings: ShopifySettings, source: SourceDef): string {
  const token = process.env[settings.accessTokenEnv];
  if (token === undefined || token === '') {
    throw new InputError(
      'SHOPIFY_TOKEN_MISSING',
      `source ${source.id}: environment variable ${settings.accessTokenEnv} is not set (it must hold the Admin API access token)`,
      { file: source.file, line: source.line },
    );
  }
  return token;
}

function checkOfflineSettings(s: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const key of ['shopDomain', 'endpoint', 'accessTokenEnv'])
    if (s[key] !== undefined)
      problems.push(`${where}.${key}: a source reads the API or saved files, not both`);
  for (const key of ['inventoryFile', 'bulkFile'])
    if (s[key] !== undefined && (typeof s[key] !== 'string' || s[key] === ''))
      problems.push(`${where}.${key}: expected a file path relative to the data folder`);
  if (
    s.inventoryAsOf !== undefined &&
    (typeof s.inventoryAsOf !== 'string' || Number.isNaN(Date.parse(s.inventoryAsOf)))
  )
    problems.push(`${where}.inventoryAsOf: expected an ISO date-time with an offset`);
  if (s.itemKey !== undefined && s.itemKey !== 'id' && s.itemKey !== 'sku')
    problems.push(`${where}.itemKey: expected id or sku`);
  if (s.locationKey !== undefined && s.locationKey !== 'id' && s.locationKey !== 'name')
    problems.push(`${where}.locationKey: expected id or name`);
  const locs = s.locations;
  if (locs !== undefined && (typeof locs !== 'object' || locs === null || Array.isArray(locs)))
    problems.push(`${where}.locations: expected a map of location id or name → location code`);
  else if (locs)
    for (const [k, v] of Object.entries(locs))
      if (typeof v !== 'string' || v === '')
        problems.push(`${where}.locations.${k}: expected a location code`);
  return problems;
}

export function offlineSettings(source: SourceDef): OfflineSettings {
  const problems = checkShopifySettings(source);
  if (problems.length > 0)
    throw new InputError('SHOPIFY_SETTINGS', problems.join('; '), {
      file: source.file,
      line: source.line,
    });
  const s = source.settings;
  return {
    inventoryFile: s.inventoryFile as string | undefined,
    bulkFile: s.bulkFile as string | undefined,
    inventoryAsOf: s.inventoryAsOf ? new Date(s.inventoryAsOf as string).toISOString() : undefined,
    itemKey: s.itemKey === 'sku' ? 'sku' : 'id',
    locationKey: s.locationKey === 'name' ? 'name' : 'id',
    locations: s.locations
      ? new Map(Object.entries(s.locations as Record<string, string>))
      : undefined,
  };
}
