/**
 * The shape of a log function every layer is handed: a line, and fields a log collector can
 * search by (runId, exceptionId, requestId, job, …). server/log.ts writes it (JSON or text).
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Log = (line: string, fields?: LogFields) => void;
