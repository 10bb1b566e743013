/**
 * Validation of a source's file mappings, shared by the file connectors. Collects every
 * problem (STYLE.md 4) so one `tally check` shows them all.
 */
import { EVENT_TYPES } from '../../engine/core/model/types.ts';
import type { FileFormat, FileMapping, SourceDef } from '../../engine/core/rules/types.ts';
import { checkDateFormat, makeDateParser } from './dates.ts';
import { ALIAS_PREFIX, DATE_FIELDS, FIELDS, PACK_PREFIX, requiredFields } from './fields.ts';
import { NUMBER_FORMATS } from './numbers.ts';
import { isValidTimeZone } from './zone.ts';

const KINDS = Object.keys(FIELDS);

export function checkFileSettings(source: SourceDef, formats: readonly FileFormat[]): string[] {
  const problems: string[] = [];
  if (!source.timezone || !isValidTimeZone(source.timezone)) {
    problems.push(`timezone '${source.timezone}' is not an IANA time zone`);
  }
  if (!Array.isArray(source.files) || source.files.length === 0) {
    problems.push('no files are declared (files is empty)');
    return problems;
  }
  source.files.forEach((file, i) => {
    const where = `files[${i}]${file?.path ? ` (${file.path})` : ''}`;
    for (const p of checkMapping(file, formats, source.timezone)) problems.push(`${where}: ${p}`);
  });
  return problems;
}

function checkMapping(file: FileMapping, formats: readonly FileFormat[], zone: string): string[] {
  const problems: string[] = [];
  if (!file || typeof file.path !== 'string' || file.path === '') return ['path is missing'];
  if (!formats.includes(file.format)) {
    problems.push(
      `format '${file.format}' is not read by this connector (reads ${formats.join(', ')})`,
    );
  }
  if (!KINDS.includes(file.kind))
    return [...problems, `kind '${file.kind}' is not one of ${KINDS.join(', ')}`];
  const columns = file.columns ?? {};
  const constants = file.constants ?? {};
  const allowed = new Set(FIELDS[file.kind].allowed);
  for (const field of [...Object.keys(columns), ...Object.keys(constants)]) {
    const alias =
      file.kind === 'items' &&
      [ALIAS_PREFIX, PACK_PREFIX].some((p) => field.startsWith(p) && field.length > p.length);
    if (!allowed.has(field) && !alias) {
      problems.push(
        `unknown field '${field}' for kind ${file.kind} (expected ${[...allowed].join(', ')})`,
      );
    }
  }
  const wide = (file.statusColumns?.length ?? 0) > 0;
  if (wide && file.kind !== 'positions' && file.kind !== 'opening') {
    problems.push('statusColumns apply only to positions and opening files');
  }
  for (const field of requiredFields(file.kind, wide)) {
    if (columns[field] === undefined && constants[field] === undefined) {
      problems.push(`field '${field}' needs a column or a constant`);
    }
  }
  const has = (field: string) => columns[field] !== undefined || constants[field] !== undefined;
  if (file.kind === 'items' && has('packUnit') !== has('packFactor')) {
    problems.push(`fields 'packUnit' and 'packFactor' go together (one pack per row)`);
  }
  if (file.kind === 'events' && !has('location') && !has('fromLocation') && !has('toLocation')) {
    problems.push(
      `field 'location' (or 'fromLocation' / 'toLocation') needs a column or a constant`,
    );
  }
  if (file.numberFormat !== undefined && !NUMBER_FORMATS.includes(file.numberFormat)) {
    problems.push(`numberFormat '${file.numberFormat}' is not one of ${NUMBER_FORMATS.join(', ')}`);
  }
  if (file.footerLines !== undefined && file.format === 'jsonl') {
    problems.push('footerLines applies only to csv and tsv files (JSON Lines have no footer)');
  }
  if (file.headerLine !== undefined && file.format === 'jsonl') {
    problems.push('headerLine applies only to csv and tsv files (JSON Lines have no header)');
  }
  if (file.delimiter !== undefined && file.format !== 'csv') {
    problems.push(
      `delimiter applies only to csv files (a ${file.format} file's is ${file.format === 'tsv' ? 'a tab' : 'none'})`,
    );
  }
  if (file.signedQuantity && file.kind !== 'events') {
    problems.push('signedQuantity applies only to events files (positions are always signed)');
  }
  for (const [name, value] of Object.entries(file.limits ?? {})) {
    if (!Number.isInteger(value) || value < 1)
      problems.push(`limits.${name} must be a positive integer`);
  }
  const dateProblem = checkDateFormat(file.dateFormat ?? 'iso');
  if (dateProblem) problems.push(dateProblem);
  else problems.push(...checkDateConstants(file, constants, zone));
  if (file.typeMap && file.kind !== 'events') problems.push('typeMap applies only to events files');
  for (const [word, type] of Object.entries(file.typeMap ?? {})) {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      problems.push(
        `typeMap '${word}' → '${type}' is not an event type (${EVENT_TYPES.join(', ')})`,
      );
    }
  }
  return problems;
}

function checkDateConstants(
  file: FileMapping,
  constants: Record<string, string>,
  zone: string,
): string[] {
  if (!isValidTimeZone(zone)) return [];
  const parse = makeDateParser(file.dateFormat ?? 'iso', zone);
  return Object.entries(constants)
    .filter(([field, value]) => DATE_FIELDS.has(field) && parse(value) === undefined)
    .map(([field, value]) => `constant ${field} '${value}' does not match the date format`);
}
