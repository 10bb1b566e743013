/**
 * Errors carry a stable string code. Three families, because the person who must act differs:
 * - InputError: bad input or configuration; the user fixes a file or a flag (exit 2).
 * - ExternalError: an outside system failed (a vendor API, Slack, a database); not our bug.
 * - anything else is a defect in Tally.
 */
export type Location = { file: string; line?: number; column?: number; path?: string };

export class TallyError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class InputError extends TallyError {
  readonly where: Location | undefined;
  constructor(code: string, message: string, where?: Location, options?: { cause?: unknown }) {
    super(code, message, options);
    this.where = where;
  }
}

export class ExternalError extends TallyError {
  readonly system: string;
  readonly retryable: boolean;
  constructor(
    system: string,
    code: string,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(code, message, options);
    this.system = system;
    this.retryable = options?.retryable ?? false;
  }
}

export function formatLocation(where: Location): string {
  let s = where.file;
  if (where.line !== undefined) s += `:${where.line}`;
  if (where.line !== undefined && where.column !== undefined) s += `:${where.column}`;
  return s;
}
