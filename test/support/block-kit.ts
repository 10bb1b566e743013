/**
 * Block Kit checks for what the bot sends: Slack's published limits and shape rules for the
 * blocks Tally uses (section, header, context, actions, image, divider). Returns every problem
 * with its path, so a test shows all of them at once.
 */
import { LIMITS } from '../../bot/views/clamp.ts';

type Obj = Record<string, unknown>;
const isText = (t: unknown, kind?: string): t is { type: string; text: string } =>
  !!t &&
  typeof t === 'object' &&
  typeof (t as Obj).text === 'string' &&
  ((t as Obj).type === 'mrkdwn' || (t as Obj).type === 'plain_text') &&
  (!kind || (t as Obj).type === kind);

function checkBlock(b: Obj, at: string, problems: string[]): void {
  const text = b.text;
  switch (b.type) {
    case 'section': {
      const fields = b.fields as unknown[] | undefined;
      if (!text && !fields) problems.push(`${at}: section with neither text nor fields`);
      if (text && (!isText(text) || text.text.length > LIMITS.sectionTextChars || text.text === ''))
        problems.push(`${at}.text: missing, empty or over ${LIMITS.sectionTextChars}`);
      if (fields && fields.length > LIMITS.sectionFields) problems.push(`${at}.fields: over 10`);
      for (const [i, f] of (fields ?? []).entries())
        if (!isText(f) || f.text.length > LIMITS.sectionFieldChars || f.text === '')
          problems.push(`${at}.fields[${i}]: not a text object of 1-2000 chars`);
      return;
    }
    case 'header':
      if (!isText(text, 'plain_text') || text.text.length > 150 || text.text === '')
        problems.push(`${at}.text: header needs plain_text of 1-150 chars`);
      return;
    case 'context': {
      const els = (b.elements as unknown[]) ?? [];
      if (els.length === 0 || els.length > LIMITS.contextElements)
        problems.push(`${at}.elements: 1-10 needed`);
      for (const [i, e] of els.entries())
        if (!isText(e) && (e as Obj).type !== 'image') problems.push(`${at}.elements[${i}]: bad`);
      return;
    }
    case 'actions': {
      const els = (b.elements as Obj[]) ?? [];
      if (els.length === 0 || els.length > 25) problems.push(`${at}.elements: 1-25 needed`);
      for (const [i, e] of els.entries()) {
        if (typeof e.action_id !== 'string') problems.push(`${at}.elements[${i}]: no action_id`);
        if (e.type === 'button' && !isText(e.text, 'plain_text'))
          problems.push(`${at}.elements[${i}]: button text must be plain_text`);
      }
      return;
    }
    case 'image': {
      const source = typeof b.image_url === 'string' || !!(b.slack_file as Obj | undefined)?.id;
      if (!source) problems.push(`${at}: image needs image_url or slack_file`);
      if (typeof b.alt_text !== 'string' || b.alt_text === '') problems.push(`${at}: alt_text`);
      return;
    }
    case 'divider':
      return;
    default:
      problems.push(`${at}: block type ${String(b.type)} not expected here`);
  }
}

/** Problems of one message's blocks; [] when it is valid. */
export function blockKitProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks: not an array'];
  if (blocks.length === 0 || blocks.length > LIMITS.blocksPerMessage)
    problems.push(`blocks: ${blocks.length} (1-${LIMITS.blocksPerMessage})`);
  const ids = new Set<string>();
  for (const [i, b] of (blocks as Obj[]).entries()) {
    if (typeof b.block_id === 'string') {
      if (ids.has(b.block_id)) problems.push(`blocks[${i}].block_id repeated`);
      ids.add(b.block_id);
    }
    checkBlock(b, `blocks[${i}]`, problems);
  }
  return problems;
}

/** Problems of every chat.postMessage / chat.update the fake Slack received. */
export function callProblems(calls: { method: string; args: Record<string, unknown> }[]): string[] {
  return calls
    .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
    .flatMap((c, i) => {
      const own = c.args.blocks && !c.args.text ? [`call ${i}: blocks without fallback text`] : [];
      const blocks = c.args.blocks ? blockKitProblems(c.args.blocks) : [];
      return [...own, ...blocks.map((p) => `call ${i} (${c.method}): ${p}`)];
    });
}
