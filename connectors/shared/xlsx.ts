/**
 * Reads the rows of one worksheet of an .xlsx workbook (Office Open XML: a zip of XML parts),
 * the way teams keep lists in Excel, LibreOffice or Google Sheets exports. Cells come back as
 * text (shared strings, inline strings, numbers as written in the file) with the sheet's own
 * row numbers, so a problem is reported at the row a person sees. Formulas are read by their
 * cached value; styles and dates as serials are not interpreted.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { InputError } from '../../engine/core/errors.ts';

export type SheetRow = { line: number; cells: string[] };

/** A part larger than this once inflated is refused (a zip bomb, or not a team's list). */
const MAX_PART_BYTES = 64 * 1024 * 1024;

export function readXlsxRows(path: string, sheet?: string): SheetRow[] {
  const parts = unzip(readFileSync(path), path);
  const part = (name: string) => {
    const bytes = parts.get(name);
    return bytes === undefined ? undefined : bytes.toString('utf8');
  };
  const workbook = part('xl/workbook.xml');
  if (workbook === undefined) throw bad(path, 'it has no xl/workbook.xml (not an .xlsx workbook)');
  const target = sheetTarget(workbook, part('xl/_rels/workbook.xml.rels') ?? '', sheet, path);
  const xml = part(`xl/${target.replace(/^\/?xl\//, '')}`);
  if (xml === undefined) throw bad(path, `its sheet part ${target} is missing`);
  return sheetRows(xml, sharedStrings(part('xl/sharedStrings.xml') ?? ''));
}

function bad(path: string, reason: string): InputError {
  return new InputError('XLSX_UNREADABLE', `${path}: cannot read the workbook: ${reason}`, {
    file: path,
  });
}

/** The zip's central directory → inflated parts by name. */
function unzip(buf: Buffer, path: string): Map<string, Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad(path, 'it is not a zip file');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const parts = new Map<string, Buffer>();
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) {
      throw bad(path, 'its zip directory is damaged');
    }
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + skip;
    if (!name.endsWith('.xml') && !name.endsWith('.rels')) continue;
    if (local + 30 > buf.length) throw bad(path, `its part ${name} is cut off`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    if (method === 0) parts.set(name, data);
    else if (method === 8) parts.set(name, inflate(data, name, path));
    else throw bad(path, `its part ${name} uses zip method ${method}`);
  }
  return parts;
}

function inflate(data: Buffer, name: string, path: string): Buffer {
  try {
    return inflateRawSync(data, { maxOutputLength: MAX_PART_BYTES });
  } catch (error) {
    throw bad(path, `its part ${name} does not inflate (${(error as Error).message})`);
  }
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeXml(m[1]!) : undefined;
}

function sheetTarget(workbook: string, rels: string, wanted: string | undefined, path: string) {
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)].map((m) => ({
    name: attr(m[0], 'name') ?? '',
    rid: attr(m[0], 'r:id') ?? '',
  }));
  const chosen = wanted === undefined ? sheets[0] : sheets.find((s) => s.name === wanted);
  if (!chosen) {
    const names = sheets.map((s) => `"${s.name}"`).join(', ');
    throw bad(path, wanted ? `no sheet "${wanted}" (sheets: ${names})` : 'it has no sheet');
  }
  for (const m of rels.matchAll(/<Relationship\s[^>]*>/g)) {
    if (attr(m[0], 'Id') === chosen.rid) return attr(m[0], 'Target') ?? '';
  }
  throw bad(path, `sheet "${chosen.name}" has no part`);
}

function sharedStrings(xml: string): string[] {
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1]!));
}

/** The text of every <t> inside (rich text runs are joined; phonetic runs are not text). */
function textOf(xml: string): string {
  const plain = xml.replace(/<rPh[\s\S]*?<\/rPh>/g, '');
  return [...plain.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)]
    .map((t) => unescapeXml(t[1]!))
    .join('');
}

function sheetRows(xml: string, strings: string[]): SheetRow[] {
  const rows: SheetRow[] = [];
  let next = 1;
  for (const m of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const line = Number(attr(m[1]!, 'r') ?? next);
    next = line + 1;
    const cells: string[] = [];
    let col = 0;
    for (const c of (m[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = attr(c[1]!, 'r');
      if (ref) col = columnIndex(ref);
      cells[col] = cellText(attr(c[1]!, 't'), c[2] ?? '', strings);
      col++;
    }
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    rows.push({ line, cells });
  }
  return rows;
}

function cellText(type: string | undefined, body: string, strings: string[]): string {
  if (type === 'inlineStr') return textOf(body);
  const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
  if (v === undefined) return '';
  if (type === 's') return strings[Number(v)] ?? '';
  if (type === 'b') return v === '1' ? 'TRUE' : 'FALSE';
  return unescapeXml(v);
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    if (e === 'amp') return '&';
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}
