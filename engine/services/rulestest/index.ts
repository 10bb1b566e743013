/** Rule fixture tests (rules/tests/*.yaml), like `promtool test rules`. */
export { loadRuleTests, TESTS_SCHEMA } from './load.ts';
export type { LoadedTests } from './load.ts';
export { runRuleTests, compare, describeGot } from './run.ts';
export { coverage } from './coverage.ts';
export type { Uncovered } from './coverage.ts';
export { renderTestReport } from './report.ts';
export { factsFor, neutralFacts } from './facts.ts';
export type { Expectation, Got, KeyExpectation, RuleTest, Scenario, TestResult } from './types.ts';
