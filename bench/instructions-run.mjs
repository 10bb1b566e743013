// Entry of bench/instructions-run.ts: registers tsx, then runs it.
import { register } from 'tsx/esm/api';

register();
await import('./instructions-run.ts');
