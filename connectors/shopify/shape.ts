/**
 * Tiny structural readers for vendor JSON. Each takes a path so that a failure names the exact
 * field and what was expected; the caller decides which error family a failure belongs to.
 */
export type Fail = (path: string, expected: string, got: unknown) => never;

export type Shape = {
  obj(v: unknown, path: string): Record<string, unknown>;
  arr(v: unknown, path: string): unknown[];
  str(v: unknown, path: string): string;
  optStr(v: unknown, path: string): string | undefined;
  int(v: unknown, path: string): number;
  num(v: unknown, path: string): number;
  bool(v: unknown, path: string): boolean;
};

export function shape(fail: Fail): Shape {
  return {
    obj(v, path) {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return fail(path, 'an object', v);
      return v as Record<string, unknown>;
    },
    arr(v, path) {
      if (!Array.isArray(v)) return fail(path, 'a list', v);
      return v;
    },
    str(v, path) {
      if (typeof v !== 'string' || v === '') return fail(path, 'a non-empty string', v);
      return v;
    },
    optStr(v, path) {
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v !== 'string') return fail(path, 'a string or null', v);
      return v;
    },
    int(v, path) {
      if (typeof v !== 'number' || !Number.isInteger(v)) return fail(path, 'an integer', v);
      return v;
    },
    num(v, path) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(path, 'a number', v);
      return v;
    },
    bool(v, path) {
      if (typeof v !== 'boolean') return fail(path, 'true or false', v);
      return v;
    },
  };
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Numeric id → Shopify gid, and back; REST webhooks carry numbers, GraphQL carries gids. */
export function gid(kind: string, id: number | string): string {
  return `gid://shopify/${kind}/${id}`;
}

export function gidNumber(value: string): string {
  const slash = value.lastIndexOf('/');
  return slash === -1 ? value : value.slice(slash + 1);
}
