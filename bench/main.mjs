// Entry of `npm run bench`: registers tsx, then runs bench/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
