/**
 * The one place Block Kit limits are enforced. Every message and modal goes through `clampMessage`
 * or `clampModal` before it reaches Slack, so Slack never rejects a payload for its size: long
 * text is cut, and a cut message says where the whole story is (`tally exceptions show <id>`).
 */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionTextChars: 3000,
  sectionFieldChars: 2000,
  sectionFields: 10,
  contextElements: 10,
  buttonValueChars: 2000,
  buttonTextChars: 75,
  actionIdChars: 255,
  blockIdChars: 255,
  modalTitleChars: 24,
  modalButtonChars: 24,
  optionTextChars: 75,
  optionValueChars: 150,
  fallbackTextChars: 4000,
} as const;

export type Block = Record<string, unknown> & { type: string };
type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };

/** Cuts to `max` characters, ending with an ellipsis when something was cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Cuts text and appends the pointer when something was cut; the result is at most `max`. */
export function cutWithPointer(text: string, max: number, pointer: string): string {
  if (text.length <= max) return text;
  const room = max - pointer.length - 2;
  return `${text.slice(0, Math.max(0, room))}…\n${pointer}`.slice(0, max);
}

export function pointerFor(exceptionId: string): string {
  return `_Cut to fit Slack; full evidence: \`tally exceptions show ${exceptionId}\`_`;
}

function clampTextObject(obj: unknown, max: number, pointer: string): TextObject | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const t = obj as TextObject;
  return { ...t, text: cutWithPointer(t.text, max, pointer) };
}

function clampElement(el: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...el };
  if (typeof out.action_id === 'string') out.action_id = cut(out.action_id, LIMITS.actionIdChars);
  if (el.type === 'button') {
    const text = el.text as TextObject;
    out.text = { ...text, text: cut(text.text, LIMITS.buttonTextChars) };
    // a button value is an id: cutting it would point at the wrong thing, so refuse loudly
    if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValueChars) {
      throw new Error(`button value over ${LIMITS.buttonValueChars} characters: ${el.action_id}`);
    }
  }
  if (Array.isArray(el.options)) out.options = (el.options as unknown[]).map(clampOption);
  return out;
}

function clampOption(option: unknown): unknown {
  const o = option as { text: TextObject; value: string };
  return {
    ...o,
    text: { ...o.text, text: cut(o.text.text, LIMITS.optionTextChars) },
    value: cut(o.value, LIMITS.optionValueChars),
  };
}

function clampBlock(block: Block, pointer: string): Block {
  const out: Block = { ...block };
  if (typeof out.block_id === 'string') out.block_id = cut(out.block_id, LIMITS.blockIdChars);
  if (block.type === 'section') {
    const text = clampTextObject(block.text, LIMITS.sectionTextChars, pointer);
    if (text) out.text = text;
    if (Array.isArray(block.fields)) {
      out.fields = (block.fields as TextObject[])
        .slice(0, LIMITS.sectionFields)
        .map((f) => ({ ...f, text: cut(f.text, LIMITS.sectionFieldChars) }));
    }
    if (block.accessory) out.accessory = clampElement(block.accessory as Record<string, unknown>);
  }
  if (block.type === 'context' && Array.isArray(block.elements)) {
    out.elements = (block.elements as TextObject[])
      .slice(0, LIMITS.contextElements)
      .map((e) => ({ ...e, text: cut(e.text, LIMITS.sectionTextChars) }));
  }
  if (block.type === 'actions' && Array.isArray(block.elements)) {
    out.elements = (block.elements as Record<string, unknown>[]).map(clampElement);
  }
  if (block.type === 'input' && block.element) {
    out.element = clampElement(block.element as Record<string, unknown>);
  }
  if (block.type === 'header') {
    const text = block.text as TextObject;
    out.text = { ...text, text: cut(text.text, 150) };
  }
  return out;
}

/**
 * Clamps a message: at most 50 blocks (the last kept slot becomes the pointer), every text and
 * element within its limit. `exceptionId` names the exception the pointer leads to.
 */
export function clampMessage(
  blocks: Block[],
  exceptionId: string,
  maxBlocks: number = LIMITS.blocksPerMessage,
): Block[] {
  const pointer = pointerFor(exceptionId);
  const clamped = blocks.map((b) => clampBlock(b, pointer));
  if (clamped.length <= maxBlocks) return clamped;
  const kept = clamped.slice(0, maxBlocks - 1);
  const dropped = clamped.length - kept.length;
  kept.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${dropped} more blocks not shown. ${pointer}` }],
  });
  return kept;
}

export function clampFallbackText(text: string): string {
  return cut(text, LIMITS.fallbackTextChars);
}

export type Modal = Record<string, unknown> & {
  type: 'modal';
  title: TextObject;
  blocks: Block[];
  submit?: TextObject;
  close?: TextObject;
};

export function clampModal(view: Modal, exceptionId: string): Modal {
  const out: Modal = {
    ...view,
    title: { ...view.title, text: cut(view.title.text, LIMITS.modalTitleChars) },
    blocks: clampMessage(view.blocks, exceptionId, 100),
  };
  if (view.submit) out.submit = { ...view.submit, text: cut(view.submit.text, 24) };
  if (view.close) out.close = { ...view.close, text: cut(view.close.text, 24) };
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    throw new Error('modal private_metadata over 3000 characters');
  }
  return out;
}
