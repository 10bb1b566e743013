/** How a rule was evaluated: each condition with its fact value and result (STYLE.md 5). */
export type ConditionTrace = {
  fact: string;
  operator: string;
  value: unknown;
  factValue: unknown;
  result: boolean;
  path?: string;
};

export type RuleTrace = {
  rule: string;
  file: string;
  line: number;
  priority: number;
  fired: boolean;
  /** Flattened conditions with their fact values and results. */
  conditions: ConditionTrace[];
};
