/** Explain-to-rule: a ClassificationRule and its rule test from one explained case. */
export { suggestRule, distinguishingConditions } from './suggest.ts';
export type { Condition, SuggestInput, Suggestion } from './suggest.ts';
export { suggestInputFromException } from './from-db.ts';
