/**
 * Modals: Explain (reason code + note + "holds in general") and Propose correction (system,
 * delta, reason code).
 */
import { ON_PURPOSE, proposableSystems } from './propose-checks.ts';
import type { ExceptionCard } from '../card.ts';
import { REASONS } from '../../engine/services/corrections/index.ts';
import { clampModal, type Block, type Modal } from './clamp.ts';

export const VIEW = { explain: 'tally_explain_modal', propose: 'tally_propose_modal' } as const;

/** Explanation codes a person may give; the engine's explained outcomes plus common causes. */
export const EXPLANATION_CODES = [
  'IN_TRANSIT_WINDOW',
  'PENDING_RECEIPT',
  'KNOWN_QUARANTINE',
  'LATE_EVENT',
  'UOM_ROUNDING',
  'TIMING_CUTOFF',
  'KNOWN_SYSTEM_OUTAGE',
  'DUPLICATE_EVENT',
  'OTHER',
] as const;

/** Codes that name no general reason: a rule built on them would explain nothing in particular. */
export const ONE_OFF_CODES: ReadonlySet<string> = new Set(['OTHER']);

/** The Explain modal's checkbox: ticked, the bot posts a suggested rule in the thread. */
export const GENERAL = { block: 'general', action: 'holds', option: 'suggest_rule' } as const;

const option = (value: string, text = value) => ({ text: { type: 'plain_text', text }, value });

/** A modal about one exception card: its summary on top, then `blocks`. */
function cardModal(
  c: ExceptionCard,
  callbackId: string,
  title: string,
  submit: string,
  blocks: Block[],
): Modal {
  return clampModal(
    {
      type: 'modal',
      callback_id: callbackId,
      private_metadata: String(c.id),
      title: { type: 'plain_text', text: title },
      submit: { type: 'plain_text', text: submit },
      close: { type: 'plain_text', text: 'Cancel' },
      blocks: [summary(c), ...blocks],
    },
    String(c.id),
  );
}

const NOTE = {
  type: 'input',
  block_id: 'note',
  optional: true,
  label: { type: 'plain_text', text: 'Note' },
  element: { type: 'plain_text_input', action_id: 'text', multiline: true },
};

function summary(c: ExceptionCard) {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `*${c.sku}* at *${c.location}* (${c.bucket}) · ${c.source} ${c.variance}`,
      },
    ],
  };
}

export function explainModal(c: ExceptionCard): Modal {
  return cardModal(c, VIEW.explain, 'Explain exception', 'Explain', [
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Reason' },
      element: {
        type: 'static_select',
        action_id: 'code',
        options: EXPLANATION_CODES.map((code) => option(code)),
      },
    },
    NOTE,
    holdsInGeneral(),
  ]);
}

/** Off by default: most explanations are about one case, and a rule is a change for everyone. */
function holdsInGeneral() {
  return {
    type: 'input',
    block_id: GENERAL.block,
    optional: true,
    label: { type: 'plain_text', text: 'Rule' },
    element: {
      type: 'checkboxes',
      action_id: GENERAL.action,
      options: [
        {
          text: { type: 'plain_text', text: 'This holds in general — suggest a rule' },
          description: {
            type: 'plain_text',
            text: 'Posts a rule and its test in the thread, ready for a pull request',
          },
          value: GENERAL.option,
        },
      ],
    },
  };
}

/** The delta that would make the source agree with the ledger, from the evidence. */
export function suggestedDelta(c: ExceptionCard): number {
  return -c.variance;
}

export function proposeModal(c: ExceptionCard): Modal {
  const systems = proposableSystems(c);
  return cardModal(c, VIEW.propose, 'Propose correction', 'Propose', [
    {
      type: 'input',
      block_id: 'system',
      label: { type: 'plain_text', text: 'System to correct' },
      element: {
        type: 'static_select',
        action_id: 'value',
        initial_option: option(c.source),
        options: systems.map((s) => option(s)),
      },
    },
    {
      type: 'input',
      block_id: 'delta',
      label: { type: 'plain_text', text: `Delta (${c.evidence?.unit ?? 'base units'})` },
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        initial_value: String(suggestedDelta(c)),
      },
    },
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Reason code' },
      element: {
        type: 'static_select',
        action_id: 'value',
        // Slack allows 100 options per select; the catalogue is smaller
        options: REASONS.slice(0, 100).map((r) => option(r.code, `${r.code} ${r.label}`)),
      },
    },
    NOTE,
    {
      type: 'input',
      block_id: ON_PURPOSE.block,
      optional: true,
      label: { type: 'plain_text', text: 'Check' },
      element: {
        type: 'checkboxes',
        action_id: ON_PURPOSE.action,
        options: [
          {
            text: { type: 'plain_text', text: 'The delta differs from the variance on purpose' },
            value: ON_PURPOSE.option,
          },
        ],
      },
    },
  ]);
}
