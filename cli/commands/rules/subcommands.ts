/** The `tally rules` subcommands, listed by hand: one line each. */
export { register as validate } from './validate.ts';
export { register as diff } from './diff.ts';
export { register as test } from './test.ts';
export { register as suggest } from './suggest.ts';
