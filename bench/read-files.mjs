// Entry of bench/read-files.ts: registers tsx, then runs it.
import { register } from 'tsx/esm/api';

register();
await import('./read-files.ts');
