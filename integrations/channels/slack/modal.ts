/** The Deny modal (`views.open`): a required reason, bound to the request the approver saw. Pure. */
import { truncate } from './text.js';
import { SlackIds } from './card.js';

/** What the modal carries back in `private_metadata`. */
export interface DenyMetadata {
  /** approval id */
  i: string;
  /** request hash shown on the card */
  h: string;
  /** channel and message of the card, for the ephemeral answer */
  c?: string;
  t?: string;
}

/** The modal view; `initial` pre-fills the reason from the card's comment box. */
export function denyModal(meta: DenyMetadata, action: string, initial?: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: SlackIds.denyModal,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Deny request' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: truncate(`Deny "${action}" (${meta.i})? The agent and the audit log read your reason.`, 2900) } },
      {
        type: 'input',
        block_id: SlackIds.reason,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: SlackIds.reason,
          multiline: true,
          min_length: 1,
          max_length: 2000,
          ...(initial ? { initial_value: truncate(initial, 2000) } : {}),
        },
      },
    ],
  };
}

/** What replaces the Deny modal (`views.update`) when the clicker may not deny, or nothing could be checked. */
export function noticeModal(text: string): Record<string, unknown> {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Deny request' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'plain_text', text: truncate(text, 2900) } }],
  };
}

/** Parses `private_metadata`; null when it is not ours. */
export function parseDenyMetadata(raw: unknown): DenyMetadata | null {
  if (typeof raw !== 'string') return null;
  try {
    const m = JSON.parse(raw) as Partial<DenyMetadata>;
    if (typeof m.i !== 'string' || typeof m.h !== 'string') return null;
    return { i: m.i, h: m.h, ...(typeof m.c === 'string' ? { c: m.c } : {}), ...(typeof m.t === 'string' ? { t: m.t } : {}) };
  } catch {
    return null;
  }
}
