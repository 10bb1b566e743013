// Entry of bench/instructions.ts: registers tsx, then runs it.
import { register } from 'tsx/esm/api';

register();
await import('./instructions.ts');
