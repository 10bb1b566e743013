/** Impact preview of a rule change: base vs working ruleset on the same data, per owner. */
export { compareRuns, ownersOfChange } from './diff.ts';
export type { Change, ChangeKind, Decision, ImpactReport, OwnerImpact, Side } from './diff.ts';
export { renderImpactMarkdown, impactJson } from './markdown.ts';
export { materializeBaseRules } from './git-base.ts';
export type { BaseRules } from './git-base.ts';
export { codeOf, routeLabels, routeOf, receiversOf } from './labels.ts';
