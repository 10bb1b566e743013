/**
 * The explain-to-rule thread post: one sentence saying what to do, the suggested rule (as a
 * `rules:` block, so it can be pasted or parsed as it stands) and its rule test, each in a code
 * block. A YAML too long for a section is cut on a line boundary, the code block still closed,
 * with a pointer to `tally rules suggest <id>`, which prints the whole of both.
 */
import type { Suggestion } from '../../engine/services/suggest/index.ts';
import { LIMITS, clampFallbackText, clampMessage, type Block } from './clamp.ts';

export const INTRO =
  'If this explanation holds in general, add this rule to rules/classification.yaml ' +
  'and this test to rules/tests/ in a pull request.';

const FENCE = '```';

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The rule as a `rules:` block: the engine gives the list item to paste under `rules:`. */
export function rulesBlockYaml(s: Pick<Suggestion, 'ruleYaml'>): string {
  const item = s.ruleYaml
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `rules:\n${item}\n`;
}

/**
 * Slack reads &, < and > as markup even inside code blocks; a triple backtick in a note
 * would end the block early, so it is broken up (only ever inside a quoted description).
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/```/g, '`\u200b`\u200b`');
}

export function pointerForSuggestion(exceptionId: number): string {
  return `_Cut to fit Slack; the whole rule and test: \`tally rules suggest ${exceptionId}\`_`;
}

/** `title`, then the YAML in a code block, within `maxChars`; cut lines end in a pointer. */
export function codeSection(
  title: string,
  yaml: string,
  pointer: string,
  maxChars: number = LIMITS.sectionTextChars,
): string {
  const body = escapeMrkdwn(yaml.trimEnd());
  const whole = `${title}\n${FENCE}\n${body}\n${FENCE}`;
  if (whole.length <= maxChars) return whole;
  const tail = `\n…\n${FENCE}\n${pointer}`;
  const room = maxChars - title.length - FENCE.length - 2 - tail.length;
  const kept: string[] = [];
  let used = 0;
  for (const line of body.split('\n')) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  // a single line longer than the room is cut itself rather than dropping everything
  const shown = kept.length > 0 ? kept.join('\n') : body.slice(0, Math.max(0, room - 1));
  return `${title}\n${FENCE}\n${shown}${tail}`;
}

export function ruleSuggestionBlocks(exceptionId: number, s: Suggestion): Block[] {
  const pointer = pointerForSuggestion(exceptionId);
  return clampMessage(
    [
      section(`:bulb: ${INTRO}`),
      section(codeSection(`*Rule* \`${s.name}\``, rulesBlockYaml(s), pointer)),
      section(codeSection(`*Test* (save as \`rules/tests/${s.name}.yaml\`)`, s.testYaml, pointer)),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Then run \`tally rules test\` and \`tally rules diff\`. The same rule and test from the CLI: \`tally rules suggest ${exceptionId}\``,
          },
        ],
      },
    ],
    String(exceptionId),
  );
}

export function ruleSuggestionText(exceptionId: number, s: Pick<Suggestion, 'name'>): string {
  return clampFallbackText(`Suggested rule ${s.name} for exception ${exceptionId}. ${INTRO}`);
}
