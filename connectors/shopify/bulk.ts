/**
 * A bulk operation's JSON Lines (bulkOperationRunQuery over inventoryItems → inventoryLevels):
 * item lines `{"id":"gid://shopify/InventoryItem/…","sku":…}` and level lines
 * `{"location":{…},"quantities":[…],"__parentId":"gid://shopify/InventoryItem/…"}`. Shopify
 * does not promise the order of lines, so levels are joined to items after the whole file.
 */
import { createHash } from 'node:crypto';
import { forEachText } from '../shared/byte-stream.ts';
import { LineSplitter } from '../shared/lines.ts';
import {
  guard,
  isSavedProblem,
  parseLevel,
  type SavedItem,
  type SavedLevel,
  type SavedProblem,
} from './saved.ts';

export type BulkRead = {
  items: SavedItem[];
  problems: SavedProblem[];
  /** Level lines whose parent item is not in the file. */
  orphans: SavedProblem[];
  lines: number;
  sha256: string;
};

export async function readBulkFile(
  absPath: string,
  display: string,
  signal?: AbortSignal,
): Promise<BulkRead> {
  const hash = createHash('sha256');
  const items = new Map<string, SavedItem>();
  const levels: { parent: string; level: SavedLevel; raw: string; line: number }[] = [];
  const problems: SavedProblem[] = [];
  let lines = 0;
  const splitter = new LineSplitter((text, line) => {
    if (text.trim() === '') return;
    lines++;
    const parsed = parseLine(text, line);
    if (isSavedProblem(parsed)) problems.push(parsed);
    else if ('parent' in parsed) levels.push({ ...parsed, raw: text, line });
    else items.set(parsed.id, parsed);
  });
  await forEachText(
    absPath,
    display,
    {
      push: (t) => {
        hash.update(t);
        splitter.push(t);
      },
      end: () => splitter.end(),
    },
    { signal },
  );
  const orphans: SavedProblem[] = [];
  for (const l of levels) {
    const item = items.get(l.parent);
    if (item) item.levels.push(l.level);
    else
      orphans.push({
        problem: `__parentId ${l.parent}: no inventory item line with that id in the file`,
        raw: l.raw,
        line: l.line,
      });
  }
  return { items: [...items.values()], problems, orphans, lines, sha256: hash.digest('hex') };
}

type Parsed = SavedItem | { parent: string; level: SavedLevel } | SavedProblem;

function parseLine(text: string, line: number): Parsed {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { problem: 'not a JSON object', raw: text, line };
  }
  return guard(v, line, (): Parsed => {
    const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
    if (typeof o.__parentId === 'string')
      return { parent: o.__parentId, level: parseLevel(o, `line ${line}`) };
    if (typeof o.id !== 'string' || !o.id.includes('/InventoryItem/'))
      return {
        problem: 'neither an inventory item (id) nor a level (__parentId)',
        raw: text,
        line,
      };
    const sku = typeof o.sku === 'string' && o.sku !== '' ? o.sku : undefined;
    return { id: o.id, sku, levels: [], line };
  });
}
