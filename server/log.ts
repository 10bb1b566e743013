/**
 * The long-running process's log: JSON lines (pino: time, level, msg, and fields such as runId,
 * exceptionId, requestId) for a log collector, or one readable line per entry on a terminal.
 * Secrets never reach it: every value of a secret-bearing variable in the environment (tokens,
 * signing secrets, keys, database passwords) is replaced by [redacted] before anything is written.
 */
import { pino, type Logger } from 'pino';

import type { Log } from '../engine/core/log.ts';

export type { Log, LogFields } from '../engine/core/log.ts';
export type LogLevel = 'info' | 'warn' | 'error';

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY|CREDENTIAL/i;
const URL_PASSWORD = /\/\/([^:@/\s]+):([^@/\s]+)@/g;

/** The secret strings of this environment, longest first (so a prefix never masks a part). */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => value && value.length >= 6 && SECRET_NAME.test(name))
    .map(([, value]) => value!);
  for (const value of Object.values(env)) {
    for (const m of value?.matchAll(URL_PASSWORD) ?? []) if (m[2]!.length >= 3) values.push(m[2]!);
  }
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

export function redactor(env: NodeJS.ProcessEnv): (text: string) => string {
  const secrets = secretsOf(env);
  return (text) => {
    let out = text.replace(URL_PASSWORD, '//$1:[redacted]@');
    for (const s of secrets) out = out.split(s).join('[redacted]');
    return out;
  };
}

/** A line's level, from how the code words it (the log lines predate levels). */
function levelOf(line: string): LogLevel {
  if (/\b(error|failed|cannot|refused|unreachable)\b/i.test(line)) return 'error';
  if (/\b(warn|warning|retry|retrying|not found|skipped)\b/i.test(line)) return 'warn';
  return 'info';
}

export function createLog(
  env: NodeJS.ProcessEnv,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Log {
  const redact = redactor(env);
  const json =
    env.TALLY_LOG_FORMAT === 'json' || (env.TALLY_LOG_FORMAT !== 'text' && !stream.isTTY);
  if (!json) {
    return (line, fields) => {
      const time = new Date().toISOString().slice(11, 19);
      const extra = fields
        ? ` ${Object.entries(fields)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : '';
      stream.write(`${time} ${levelOf(line).padEnd(5)} ${redact(line + extra)}\n`);
    };
  }
  const logger: Logger = pino(
    { base: { service: 'tally' }, timestamp: pino.stdTimeFunctions.isoTime },
    stream,
  );
  return (line, fields) => {
    const clean = Object.fromEntries(
      Object.entries(fields ?? {}).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]),
    );
    logger[levelOf(line)](clean, redact(line));
  };
}
