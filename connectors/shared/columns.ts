/**
 * Resolving a FileMapping's column names into getters over one row. A getter returns the
 * trimmed cell, or undefined when it is empty; `constants` fill a field the file lacks or
 * leaves empty. A column name `a+b` that is not itself a header joins two cells with one space,
 * which is how a date and a separate time column (`posting_date+posting_time`) become one
 * timestamp for the file's dateFormat (e.g. `yyyy-MM-dd HH:mm:ss`, or `iso`).
 */
import type { FileMapping } from '../../engine/core/rules/types.ts';

export type Getter<R> = (row: R) => string | undefined;
/** Finds a column (csv header) or property path (jsonl); undefined when the file lacks it. */
export type Resolve<R> = (name: string) => Getter<R> | undefined;

export type FieldGetters<R> = {
  get: Map<string, Getter<R>>;
  /** Human label per field for reasons, e.g. `quantity (column Qty)`. */
  label: Map<string, string>;
  /** Mapped column names the file does not have. */
  missing: string[];
};

export function resolveFields<R>(
  mapping: FileMapping,
  resolve: Resolve<R>,
  noun: string,
): FieldGetters<R> {
  const get = new Map<string, Getter<R>>();
  const label = new Map<string, string>();
  const missing: string[] = [];
  const fields = new Set([...Object.keys(mapping.columns), ...Object.keys(mapping.constants)]);
  for (const field of fields) {
    const name = mapping.columns[field];
    const constant = mapping.constants[field];
    if (name === undefined) {
      get.set(field, () => constant);
      label.set(field, `${field} (constant)`);
      continue;
    }
    const getter = resolveName(name, resolve, missing);
    if (!getter) continue;
    get.set(field, constant === undefined ? getter : (row) => getter(row) ?? constant);
    label.set(field, `${field} (${noun} ${name})`);
  }
  return { get, label, missing };
}

function resolveName<R>(
  name: string,
  resolve: Resolve<R>,
  missing: string[],
): Getter<R> | undefined {
  const whole = resolve(name);
  if (whole || !name.includes('+')) {
    if (!whole) missing.push(name);
    return whole;
  }
  const parts = name.split('+').map((p) => p.trim());
  const getters = parts.map((p) => resolve(p));
  const absent = parts.filter((_, i) => !getters[i]);
  if (absent.length) {
    missing.push(...absent);
    return undefined;
  }
  const gs = getters as Getter<R>[];
  return (row) => {
    let out = '';
    for (const g of gs) {
      const v = g(row);
      if (v === undefined) return undefined;
      out = out ? `${out} ${v}` : v;
    }
    return out;
  };
}

/** Getter over a delimited row: index lookup in the header, cell trimmed, empty → undefined. */
export function headerResolver(header: string[]): Resolve<string[]> {
  return (name) => {
    const index = header.indexOf(name);
    if (index === -1) return undefined;
    return (row) => {
      const v = row[index];
      if (v === undefined || v === '') return undefined;
      const t = v.trim();
      return t === '' ? undefined : t;
    };
  };
}

/** Getter over a parsed JSON object; `a.b` walks nested objects. Numbers become text. */
export function propertyResolver(): Resolve<Record<string, unknown>> {
  return (path) => {
    const keys = path.split('.');
    const first = keys[0]!;
    if (keys.length === 1) return (row) => asText(row[first]);
    return (row) => {
      let v: unknown = row;
      for (const k of keys) {
        if (v === null || typeof v !== 'object') return undefined;
        v = (v as Record<string, unknown>)[k];
      }
      return asText(v);
    };
  };
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return String(v);
  return undefined;
}
