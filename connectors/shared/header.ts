/**
 * What a delimited file's header must hold for its mapping, and what to say when it does not:
 * the columns the mapping reads (a `date+time` name reads both), a mapped name written twice,
 * one written in another case, and why a header may lack them all.
 */
import type { FileMapping } from '../../engine/core/rules/types.ts';

/** The header's names the mapping reads: each mapped name, or the parts of a `date+time` one. */
function mappedNames(mapping: FileMapping, header: readonly string[]): string[] {
  const names = [...Object.values(mapping.columns), ...(mapping.statusColumns ?? [])];
  return names.flatMap((n) => (header.includes(n) ? [n] : n.split('+').map((p) => p.trim())));
}

/** Header indexes of the columns the mapping reads. */
export function mappedIndexes(mapping: FileMapping, header: string[]): number[] {
  const out = new Set<number>();
  for (const name of mappedNames(mapping, header)) {
    const i = header.indexOf(name);
    if (i !== -1) out.add(i);
  }
  return [...out];
}

/**
 * A mapped name the header holds more than once (a report's two `Qty` columns, on hand and
 * ordered), with its columns counted from 1: reading the first would be a guess.
 */
export function mappedTwice(
  mapping: FileMapping,
  header: string[],
): { name: string; columns: number[] } | undefined {
  for (const name of mappedNames(mapping, header)) {
    const columns = header.flatMap((h, i) => (h === name ? [i + 1] : []));
    if (columns.length > 1) return { name, columns };
  }
  return undefined;
}

/**
 * Why a header may lack its mapped columns, said with them: read as one column that another
 * delimiter would split (Excel writes `;` where the decimal mark is a comma), or a line of one
 * or two names only (a report's title above its header); else ''.
 */
export function headerHint(header: string[], delimiter: string, line: number): string {
  const names = header.filter((h) => h !== '');
  if (header.length === 1) {
    const only = header[0]!;
    if (delimiter !== '\t' && only.includes('\t'))
      return ': the header reads as one column and holds tabs (map the file as format: tsv)';
    const other = [';', ',', '|'].find((d) => d !== delimiter && only.includes(d));
    if (other)
      return `: the header reads as one column and its names look separated by '${other}' (set delimiter: '${other}' on the file's mapping)`;
  }
  if (names.length <= 2)
    return `: line ${line} holds ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'nothing'}; if the column names come on a later line, below a report's title, set headerLine on the file's mapping`;
  return '';
}

/**
 * A column the header has under the mapped name written otherwise (`QTY`, `Item Code` for
 * `item_code`): an export that changed its header's case or spacing. Named, not taken: the
 * rules name columns exactly.
 */
export function nearName(name: string, header: readonly string[]): string {
  const fold = (s: string) => s.toLowerCase().replace(/[\s_.-]+/g, '');
  const near = header.find((h) => h !== name && fold(h) === fold(name));
  return near === undefined ? '' : ` (the header has '${near}': names are compared exactly)`;
}
