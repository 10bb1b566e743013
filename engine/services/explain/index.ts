/** Explain one key: which rule decided, each condition's fact value, tolerance, route, version. */
export { traceKey, createTracingIntake, tracingRuleset, coveringSources } from './trace-key.ts';
export type { KeyTrace, TraceQuery, TraceResult } from './trace-key.ts';
export { renderTrace, conditionLines } from './render.ts';
