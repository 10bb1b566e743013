/** The suggestion post stays within Block Kit limits; a cut YAML keeps its code block closed. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LIMITS } from '../../bot/views/clamp.ts';
import {
  codeSection,
  escapeMrkdwn,
  ruleSuggestionBlocks,
  rulesBlockYaml,
} from '../../bot/views/rule-suggestion.ts';

const ruleYaml = [
  '- name: explain-late-event-erp',
  '  description: "LATE_EVENT: posted <after> cutoff & late"',
  '  priority: 101',
  '  conditions:',
  '    all:',
  '      - { fact: lateEvents, operator: greaterThan, value: 0 }',
  '  outcome: { type: explained, code: LATE_EVENT }',
  '',
].join('\n');

const suggestion = (testYaml: string) => ({
  name: 'explain-late-event-erp',
  priority: 101,
  conditions: [],
  ruleYaml,
  testYaml,
});

const sectionTexts = (blocks: Record<string, unknown>[]) =>
  blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text);

describe('rule suggestion view', () => {
  it('wraps the list item in a `rules:` block that parses as one rule', () => {
    const parsed = parse(rulesBlockYaml({ ruleYaml })) as { rules: { outcome: unknown }[] };
    expect(parsed.rules).toHaveLength(1);
    expect(parsed.rules[0]!.outcome).toEqual({ type: 'explained', code: 'LATE_EVENT' });
  });

  it('escapes Slack markup and breaks up a triple backtick', () => {
    expect(escapeMrkdwn('a <b> & ```c```')).not.toMatch(/[<>]|```/);
    expect(escapeMrkdwn('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
  });

  it('keeps a short YAML whole', () => {
    const text = codeSection('*Rule*', 'rules:\n  - a: 1\n', 'POINTER');
    expect(text).toBe('*Rule*\n```\nrules:\n  - a: 1\n```');
  });

  it('cuts a long YAML on a line boundary, closes the block and points at the CLI', () => {
    const facts = Array.from({ length: 400 }, (_, i) => `      fact${i}: ${i}`).join('\n');
    const blocks = ruleSuggestionBlocks(42, suggestion(`tests:\n${facts}\n`));
    const texts = sectionTexts(blocks);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionTextChars);
    const test = texts.find((t) => t.startsWith('*Test*'))!;
    expect(test).toMatch(
      /\n {6}fact\d+: \d+\n…\n```\n_Cut to fit Slack; .*`tally rules suggest 42`_$/,
    );
    expect(test.match(/```/g)).toHaveLength(2);
    // the rule itself was short enough to stay whole
    expect(texts.find((t) => t.startsWith('*Rule*'))).toMatch(/code: LATE_EVENT }\n```$/);
  });

  it('cuts a single over-long line rather than showing nothing', () => {
    const text = codeSection('*Test*', 'x'.repeat(5000), 'POINTER', 300);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).toMatch(/^\*Test\*\n```\nx+\n…\n```\nPOINTER$/);
  });
});
