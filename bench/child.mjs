// Entry of one measured benchmark process: registers tsx, then runs bench/child-run.ts.
import { register } from 'tsx/esm/api';

register();
await import('./child-run.ts');
