/**
 * Builds requests the way Slack sends them: bodies in the documented shapes (interactivity as
 * application/x-www-form-urlencoded `payload=<json>`, slash commands as form fields), signed with
 * the signing secret (v0:timestamp:body, HMAC-SHA256, X-Slack-Signature).
 */
import { createHmac } from 'node:crypto';

export type SignedRequest = { body: string; headers: Record<string, string> };

export function signature(secret: string, timestampSec: number, body: string): string {
  const hmac = createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex');
  return `v0=${hmac}`;
}

export function signedRequest(
  secret: string,
  body: string,
  timestampSec = Math.floor(Date.now() / 1000),
): SignedRequest {
  return {
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestampSec),
      'X-Slack-Signature': signature(secret, timestampSec, body),
    },
  };
}

/** POSTs a signed request; returns the status and the body text. */
export async function send(
  url: string,
  request: SignedRequest,
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, text: await res.text() };
}

const TEAM = { id: 'T0TALLY', domain: 'tally-test' };

function user(userId: string) {
  return {
    id: userId,
    username: userId.toLowerCase(),
    name: userId.toLowerCase(),
    team_id: TEAM.id,
  };
}

export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type ActionInput = {
  userId: string;
  channel: string;
  messageTs: string;
  actionId: string;
  blockId?: string;
  value?: string;
  selectedUser?: string;
  responseUrl: string;
  triggerId?: string;
};

/** A `block_actions` payload for a button (or a users_select when selectedUser is set). */
export function blockActionsPayload(input: ActionInput): Record<string, unknown> {
  const actionTs = (Date.now() / 1000).toFixed(6);
  const action =
    input.selectedUser !== undefined
      ? {
          type: 'users_select',
          action_id: input.actionId,
          block_id: input.blockId ?? 'actions',
          selected_user: input.selectedUser,
          action_ts: actionTs,
        }
      : {
          type: 'button',
          action_id: input.actionId,
          block_id: input.blockId ?? 'actions',
          text: { type: 'plain_text', text: input.actionId, emoji: true },
          value: input.value ?? '',
          action_ts: actionTs,
        };
  return {
    type: 'block_actions',
    user: user(input.userId),
    api_app_id: 'A0TALLY',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channel,
      is_ephemeral: false,
    },
    trigger_id: input.triggerId ?? `trigger-${Math.random().toString(36).slice(2)}`,
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: input.channel.toLowerCase() },
    message: { type: 'message', ts: input.messageTs, text: '', user: 'UTALLYBOT' },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [action],
  };
}

export type ViewSubmissionInput = {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  /** block_id → action_id → state value (e.g. {type:'static_select', selected_option:{value}}). */
  values: Record<string, Record<string, Record<string, unknown>>>;
};

export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: TEAM,
    user: user(input.userId),
    api_app_id: 'A0TALLY',
    token: 'legacy-verification-token',
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    view: {
      id: 'V0MODAL',
      team_id: TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: input.privateMetadata,
      callback_id: input.callbackId,
      state: { values: input.values },
      hash: '1.abc',
      title: { type: 'plain_text', text: 'Tally' },
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: 'V0MODAL',
      app_id: 'A0TALLY',
      bot_id: 'B0TALLY',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export type SlashInput = {
  userId: string;
  channel: string;
  text: string;
  responseUrl: string;
};

/** Slash command form fields, as Slack posts them. */
export function slashCommandBody(input: SlashInput): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: input.channel,
    channel_name: input.channel.toLowerCase(),
    user_id: input.userId,
    user_name: input.userId.toLowerCase(),
    command: '/tally',
    text: input.text,
    api_app_id: 'A0TALLY',
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
  }).toString();
}
