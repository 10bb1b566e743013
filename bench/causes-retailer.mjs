// Second half of `npm run bench:causes`: registers tsx, then scores the retailer fixture.
import { register } from 'tsx/esm/api';

register();
await import('./causes-retailer.ts');
