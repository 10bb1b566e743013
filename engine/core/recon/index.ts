/** The engine's public entry points for connectors, the CLI, the bot and benchmarks. */
export { createIntake, Intake } from '../normalize/intake.ts';
export { reconcile, type ReconcileOptions } from './reconcile.ts';
export { keysTouchedBy } from './touched.ts';
export { fingerprint } from './fingerprint.ts';
