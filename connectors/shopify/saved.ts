/**
 * Saved Admin GraphQL inventory as a merchant hands it over: responses of
 * `inventoryItems { … inventoryLevels { … quantities(names:) { name quantity } location { id name } } }`
 * saved as one page or a JSON array of pages, in the `edges { node }` or the `nodes` form, and
 * the JSON Lines of a bulk operation, where each level is its own line pointing at its item
 * through `__parentId` (in no guaranteed order). A record that does not have the documented
 * shape is returned as a problem, so the reader rejects it alone, naming the field.
 */
import { InputError } from '../../engine/core/errors.ts';
import { describe, shape } from './shape.ts';

export type SavedLevel = {
  locationId: string;
  locationName?: string;
  quantities: { name: string; quantity: number }[];
};
export type SavedItem = { id: string; sku?: string; levels: SavedLevel[]; line: number };
export type SavedProblem = { problem: string; raw: string; line: number };

class RecordProblem extends Error {}
const rec = shape((path, expected, got) => {
  throw new RecordProblem(`${path}: expected ${expected}, got ${describe(got)}`);
});

/** `edges: [{ node }]` or `nodes: [...]` → the nodes, or undefined when neither is there. */
function nodesOf(conn: Record<string, unknown>, path: string): unknown[] {
  if (Array.isArray(conn.nodes)) return conn.nodes;
  if (Array.isArray(conn.edges))
    return conn.edges.map((e, i) => rec.obj(e, `${path}.edges[${i}]`).node);
  return rec.arr(conn.nodes, `${path}.nodes (or edges)`);
}

export function parseLevel(v: unknown, path: string): SavedLevel {
  const level = rec.obj(v, path);
  const location = rec.obj(level.location, `${path}.location`);
  const quantities = rec.arr(level.quantities, `${path}.quantities`).map((q, j) => {
    const qo = rec.obj(q, `${path}.quantities[${j}]`);
    return {
      name: rec.str(qo.name, `${path}.quantities[${j}].name`),
      quantity: rec.int(qo.quantity, `${path}.quantities[${j}].quantity`),
    };
  });
  return {
    locationId: rec.str(location.id, `${path}.location.id`),
    locationName: rec.optStr(location.name, `${path}.location.name`),
    quantities,
  };
}

function parseItem(v: unknown, path: string, line: number): SavedItem {
  const item = rec.obj(v, path);
  const conn = rec.obj(item.inventoryLevels, `${path}.inventoryLevels`);
  const more = conn.pageInfo as Record<string, unknown> | undefined;
  // a saved page cannot fetch the rest: an item read with some of its levels would be half a snapshot
  if (more?.hasNextPage === true)
    throw new RecordProblem(
      `${path}.inventoryLevels: the saved response says more levels follow (pageInfo.hasNextPage); save it with inventoryLevels(first: 250)`,
    );
  const levels = nodesOf(conn, `${path}.inventoryLevels`).map((l, i) =>
    parseLevel(l, `${path}.inventoryLevels[${i}]`),
  );
  return {
    id: rec.str(item.id, `${path}.id`),
    sku: rec.optStr(item.sku, `${path}.sku`),
    levels,
    line,
  };
}

export function guard<T>(raw: unknown, line: number, parse: () => T): T | SavedProblem {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof RecordProblem)) throw e;
    return { problem: e.message, raw: JSON.stringify(raw), line };
  }
}

export const isSavedProblem = (v: object): v is SavedProblem => 'problem' in v;

export type SavedPages = { items: (SavedItem | SavedProblem)[]; morePages: boolean };

/**
 * One page or an array of pages. An item's `line` is its place in the file (1, 2, …), since a
 * pretty-printed response has no line per record.
 */
export function parseSavedPages(text: string, file: string): SavedPages {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new InputError('SHOPIFY_SAVED_NOT_JSON', `${file}: not JSON (${(e as Error).message})`, {
      file,
    });
  }
  const pages = Array.isArray(body) ? body : [body];
  const items: (SavedItem | SavedProblem)[] = [];
  let morePages = false;
  pages.forEach((page, p) => {
    const conn = inventoryItemsOf(page, file, p);
    for (const node of nodesOf(conn, `[${p}].data.inventoryItems`)) {
      const line = items.length + 1;
      items.push(guard(node, line, () => parseItem(node, `[${p}] item ${line}`, line)));
    }
    morePages = (conn.pageInfo as Record<string, unknown> | undefined)?.hasNextPage === true;
  });
  return { items, morePages };
}

function inventoryItemsOf(page: unknown, file: string, p: number): Record<string, unknown> {
  const where = { file, line: p + 1 };
  const top = page as Record<string, unknown> | null;
  if (top && Array.isArray(top.errors) && top.errors.length > 0)
    throw new InputError(
      'SHOPIFY_SAVED_ERRORS',
      `${file}: page ${p + 1} is an error response: ${describe(top.errors)}`,
      where,
    );
  const data = (top?.data ?? top) as Record<string, unknown> | null;
  const conn = data?.inventoryItems;
  if (typeof conn !== 'object' || conn === null)
    throw new InputError(
      'SHOPIFY_SAVED_SHAPE',
      `${file}: page ${p + 1} has no data.inventoryItems (expected a saved inventoryItems response)`,
      where,
    );
  return conn as Record<string, unknown>;
}
