/**
 * The import direction between folders, read from the table in docs/architecture.md, so the
 * document and the lint cannot drift apart: an import the table does not allow fails the lint,
 * and so does a source folder the table does not list.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));
const DOC = 'docs/architecture.md';

/** Rows of the "Who may import whom" table: { folder, mayImport: string[] | '*' }. */
export function readLayers(root = ROOT) {
  const text = readFileSync(join(root, DOC), 'utf8');
  const section = text.split(/^## Who may import whom$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error(`${DOC}: no "## Who may import whom" section`);
  const rows = [];
  for (const line of section.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 3 || !cells[0].startsWith('`')) continue;
    const folder = cells[0].replaceAll('`', '');
    const allowed = cells[2];
    const mayImport =
      allowed === 'everything' ? '*' : [...allowed.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    rows.push({ folder, mayImport });
  }
  if (rows.length === 0) throw new Error(`${DOC}: the import table has no rows`);
  return rows;
}

const within = (path, folder) => (folder.endsWith('/') ? path.startsWith(folder) : path === folder);

/** engine/core/…, engine/services/… or a top-level folder: where a test may look around. */
const layerOf = (path) => {
  const parts = path.split('/');
  return parts[0] === 'engine' ? parts.slice(0, 2).join('/') : parts[0];
};
const sameLayer = (a, b) => layerOf(a) === layerOf(b);

function ownerOf(rows, path) {
  let best;
  for (const r of rows)
    if (within(path, r.folder) && (!best || r.folder.length > best.folder.length)) best = r;
  return best;
}

/** Every folder holding source code must have a row: engine's layers one level down. */
function checkCovered(rows, root) {
  const missing = [];
  const hasCode = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some(
      (e) =>
        (e.isFile() && /\.(ts|mjs)$/.test(e.name)) ||
        (e.isDirectory() && hasCode(join(dir, e.name))),
    );
  const check = (dir) => {
    const probe = `${dir}/`;
    if (!rows.some((r) => within(probe, r.folder) || r.folder === probe)) missing.push(probe);
  };
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
    if (['rules', 'docs', 'coverage', 'demo-data', 'dist'].includes(e.name)) continue;
    if (e.name === 'engine') {
      for (const layer of readdirSync(join(root, 'engine'), { withFileTypes: true })) {
        const base = `engine/${layer.name}`;
        if (layer.isFile()) {
          if (!rows.some((r) => r.folder === base)) missing.push(base);
          continue;
        }
        for (const sub of readdirSync(join(root, base), { withFileTypes: true })) {
          const p = `${base}/${sub.name}`;
          if (
            sub.isDirectory()
              ? hasCode(join(root, p))
              : /\.ts$/.test(sub.name) && !sub.name.endsWith('.test.ts')
          ) {
            if (!rows.some((r) => (sub.isDirectory() ? r.folder === `${p}/` : r.folder === p)))
              missing.push(sub.isDirectory() ? `${p}/` : p);
          }
        }
      }
      continue;
    }
    if (hasCode(join(root, e.name))) check(e.name);
  }
  if (missing.length > 0) {
    throw new Error(`${DOC}: the import table lists no row for ${missing.join(', ')}; add one`);
  }
}

export function layersPlugin(root = ROOT) {
  const rows = readLayers(root);
  checkCovered(rows, root);
  const rule = {
    meta: {
      type: 'problem',
      docs: { description: `imports follow the table in ${DOC}` },
      schema: [],
      messages: {
        forbidden: '{{from}} may not import {{to}} ({{doc}}: {{folder}} may import {{allowed}})',
        unlisted: '{{from}} is in no row of the import table in {{doc}}',
      },
    },
    create(context) {
      const file = relative(root, context.filename).split('\\').join('/');
      if (file.startsWith('..')) return {};
      const owner = ownerOf(rows, file);
      const isTest = /\.test\.ts$/.test(file);
      const check = (node, spec) => {
        if (typeof spec !== 'string' || !spec.startsWith('.')) return;
        if (!owner) {
          context.report({ node, messageId: 'unlisted', data: { from: file, doc: DOC } });
          return;
        }
        if (owner.mayImport === '*') return;
        const target = relative(root, resolve(dirname(context.filename), spec))
          .split('\\')
          .join('/');
        if (target.startsWith('..') || !existsSync(join(root, target))) return;
        if (statSync(join(root, target)).isDirectory()) return;
        const to = ownerOf(rows, target);
        if (!to || to === owner) return;
        const allowed = owner.mayImport.some((p) => within(target, p) || target === p);
        if (allowed || (isTest && (target.startsWith('test/') || sameLayer(file, target)))) return;
        context.report({
          node,
          messageId: 'forbidden',
          data: {
            from: file,
            to: target,
            doc: DOC,
            folder: owner.folder,
            allowed: owner.mayImport.length ? owner.mayImport.join(', ') : 'nothing else',
          },
        });
      };
      const fromSource = (node) => node.source && check(node.source, node.source.value);
      return {
        ImportDeclaration: fromSource,
        ExportNamedDeclaration: fromSource,
        ExportAllDeclaration: fromSource,
        ImportExpression: (node) =>
          node.source.type === 'Literal' && check(node.source, node.source.value),
      };
    },
  };
  return { rules: { 'import-direction': rule } };
}
