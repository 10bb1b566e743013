/** Rule fixture tests: the shapes of rules/tests/*.yaml after validation. */
import type { Declared } from '../../core/rules/types.ts';

export type Expectation = {
  outcome?: 'match' | 'explained' | 'exception';
  code?: string;
  severity?: string;
  cause?: string;
  /** Name of the rule that must decide; "fallback" when no rule may fire. */
  rule?: string;
  /** Receivers, exactly and in order; a single name means exactly that one. */
  route?: string | string[];
};

export type KeyExpectation = Expectation & {
  sku: string;
  location: string;
  bucket: string;
  source: string;
};

export type Scenario = {
  asOf: string;
  items?: Record<string, unknown>[];
  opening?: Record<string, unknown>[];
  positions?: Record<string, unknown>[];
  events?: Record<string, unknown>[];
};

export type RuleTest = Declared & {
  name: string;
  given:
    | { kind: 'facts'; facts: Record<string, string | number | boolean> }
    | { kind: 'labels'; labels: Record<string, string> }
    | { kind: 'scenario'; scenario: Scenario };
  expect: Expectation | KeyExpectation[];
};

export type Got = {
  outcome: 'match' | 'explained' | 'exception';
  code?: string;
  severity?: string;
  cause?: string;
  rule: string;
  /** Receivers (exceptions and label tests); [] otherwise. */
  route: string[];
  /** Route node ids that delivered, for coverage. */
  routeNodes: string[];
};

export type TestResult = {
  test: RuleTest;
  passed: boolean;
  /** One line per mismatch: "outcome: expected explained, got exception". */
  failures: string[];
  got: Got[];
};
