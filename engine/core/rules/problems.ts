/** Validation problems: collected, never thrown one at a time (STYLE.md 4). */
/** Stable codes of validation problems (docs/rules.md lists each). */
export const PROBLEM_CODES = [
  'FILE_UNREADABLE',
  'FILE_TOO_LARGE',
  'YAML_SYNTAX',
  'YAML_DUPLICATE_KEY',
  'YAML_ALIAS',
  'YAML_TAG',
  'YAML_MULTIPLE_DOCUMENTS',
  'YAML_TOO_DEEP',
  'UNKNOWN_KIND',
  'UNKNOWN_API_VERSION',
  'DUPLICATE_KIND',
  'MISSING_KIND',
  'SCHEMA',
  'DUPLICATE_NAME',
  'MISSING_STATUS_MAP',
  'UNKNOWN_SOURCE',
  'UNKNOWN_RECEIVER',
  'UNKNOWN_LOCATION',
  'UNKNOWN_SKU_CLASS',
  'UNKNOWN_UNIT',
  'UNKNOWN_COLUMN',
  'MISSING_COLUMN',
  'UNKNOWN_STATUS',
  'UNKNOWN_CONNECTOR',
  'UNKNOWN_SCHEDULE',
  'LOCATION_CYCLE',
  'LOCATION_LEVEL',
  'UNIT_NOT_WHOLE',
  'UNKNOWN_FACT',
  'FACT_TYPE',
  'BAD_CONDITION',
  'BAD_OUTCOME',
  'BAD_MATCHER',
  'NO_FALLBACK_ROUTE',
  'BAD_VALUE',
  'CONNECTOR_SETTINGS',
  'BOOK_CONFLICT',
  'BOOK_GAP',
  'PATTERN_OVERLAP',
  'CODE_CONFLICT',
  'ROUTE_ROLE',
  'ROUTE_SOURCE_ROLE',
  'ORDERS_UNNAMED',
  'UNKNOWN_REASON_CODE',
  'MISSING_ACCOUNT',
  'PILOT_NO_REPORT',
  'PILOT_OWNER_CHANNEL',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export type Problem = {
  /** Path of the file as given (relative to the working directory when inside it). */
  file: string;
  line: number;
  column: number;
  /** JSON pointer inside the document, e.g. "/statusMaps/shop/damaged" ("" = whole file). */
  path: string;
  /** What is wrong, starting with the kind and the readable path, e.g. "StatusMap shop.damaged: …". */
  message: string;
  code: ProblemCode;
};

/** `rules/status-maps.yaml:14:5 StatusMap shop.damaged: unknown bucket "damagd" (…)` */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column} ${p.message}`;
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Stable order: by file, then position, then message. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.message.localeCompare(b.message),
  );
}
