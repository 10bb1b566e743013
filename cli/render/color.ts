/**
 * Colours for the terminal: only when the stream is a terminal and NO_COLOR is not set
 * (https://no-color.org); FORCE_COLOR=1 turns them on for a pipe.
 */
const CODES = { critical: '1;31', high: '31', medium: '33', low: '36' } as const;

export function colorEnabled(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** The severity word in its colour (critical bold red, high red, medium yellow, low cyan). */
export function paintSeverity(severity: string, text: string, enabled = colorEnabled()): string {
  const code = CODES[severity.toLowerCase() as keyof typeof CODES];
  return enabled && code ? `\x1b[${code}m${text}\x1b[0m` : text;
}
