/**
 * One request as a card: what the agent asked for (PII already `[redacted]` by the workflow's
 * request view), why the policy asked a person (rule and explanation), the deadline, quorum
 * progress, the decision controls for whoever may decide, and the history. The inbox, the
 * request's own page and the live fragments all render this one card.
 */
import { createHash } from 'node:crypto';
import { cardState, isTerminal, type ApprovalState, type HistoryEntry } from '../../../core/index.js';
import { html, type Html } from '../html.js';
import { shown, timeLeft, utc } from './format.js';

export interface CardOptions {
  state: ApprovalState;
  /** Whether the viewer may decide it (an auditor or agent only reads). */
  mayDecide: boolean;
  /** The viewer's approver id: someone who already approved is not offered Approve again. */
  viewerId: string;
  csrf: string;
  now: number;
  /** A refused decision, shown in the card. */
  error?: string | null;
  /** The request's own page shows its history open. */
  historyOpen?: boolean;
}

const domId = (id: string): string => `r-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Changes whenever anything the card shows changes: the script swaps a card only when it differs. */
export function cardVersion(state: ApprovalState): string {
  const parts = [state.status, state.approvedBy.join(','), (state.eligible ?? []).join(','), state.deadline ?? '', state.history.length, state.escalated ? 1 : 0];
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 12);
}

function params(values: Record<string, unknown> | undefined, label: string): Html {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return html``;
  return html`<dl class="params" aria-label="${label}">${entries.map(
    ([k, v]) => html`<div><dt>${k}</dt><dd${shown(v) === '[redacted]' ? html` class="redacted"` : ''}>${shown(v)}</dd></div>`,
  )}</dl>`;
}

function historyItem(e: HistoryEntry): Html {
  return html`<li><time datetime="${new Date(e.at).toISOString()}">${utc(e.at)}</time> <strong>${e.event}</strong> by ${e.who}${e.why ? html`: ${e.why}` : ''}</li>`;
}

function controls(o: CardOptions, id: string, titleId: string): Html {
  const { state } = o;
  if (!o.mayDecide || isTerminal(state.status)) return html``;
  if (state.approvedBy.includes(o.viewerId)) return html`<p class="mine">You approved this; it waits for ${state.quorum - state.approvedBy.length} more.</p>`;
  const action = `/requests/${encodeURIComponent(state.id)}/decision`;
  const hidden = html`<input type="hidden" name="_csrf" value="${o.csrf}"><input type="hidden" name="hash" value="${state.requestHash}">`;
  return html`<div class="decide">
  <form class="approve" method="post" action="${action}" data-enhance>
    ${hidden}<input type="hidden" name="decision" value="approve">
    <label for="${id}-comment">Comment</label>
    <input id="${id}-comment" name="reason" maxlength="2000" autocomplete="off" placeholder="optional">
    <button type="submit" class="primary">Approve</button>
  </form>
  <button type="button" class="danger" data-open="${id}-deny" aria-haspopup="dialog">Deny</button>
  <dialog id="${id}-deny" aria-labelledby="${id}-deny-title">
    <form method="post" action="${action}" data-enhance>
      <h3 id="${id}-deny-title">Deny ${state.request?.action ?? 'this request'}?</h3>
      <p>The agent is told to block it, with your reason. The reason is kept on the audit log.</p>
      ${hidden}<input type="hidden" name="decision" value="deny">
      <label for="${id}-reason">Reason</label>
      <textarea id="${id}-reason" name="reason" required maxlength="2000" rows="3" aria-describedby="${titleId}"></textarea>
      <div class="buttons"><button type="button" data-close>Cancel</button><button type="submit" class="danger">Deny</button></div>
    </form>
  </dialog>
</div>`;
}

/** The card for `state` (an `<article>` carrying its id, status, deadline and version for the script). */
export function card(o: CardOptions): Html {
  const { state, now } = o;
  const req = state.request;
  const id = domId(state.id);
  const titleId = `${id}-title`;
  const view = cardState(state, state.eligible ?? []);
  const approved = state.approvedBy.length;
  return html`<article class="card status-${state.status}" id="${id}" data-id="${state.id}" data-status="${state.status}" data-deadline="${state.deadline ?? ''}" data-version="${cardVersion(state)}" aria-labelledby="${titleId}">
<header>
  <h2 id="${titleId}"><a href="/requests/${encodeURIComponent(state.id)}">${req?.action ?? state.id}</a>${req?.resource ? html` <code>${req.resource}</code>` : ''}</h2>
  <p class="badge" data-badge>${state.status}</p>
</header>
<p class="meta"><span>agent <strong>${req?.agent ?? 'unknown'}</strong></span> <span>blueprint <strong>${req?.blueprint ?? 'unknown'}</strong></span> <span>tenant <strong>${req?.tenant ?? 'unknown'}</strong></span> <span>channel <strong>${state.channel ?? 'web'}</strong></span></p>
${params(req?.params, 'Parameters')}
${req?.context && Object.keys(req.context).length > 0 ? html`<details class="context"><summary>Context</summary>${params(req.context, 'Context')}</details>` : ''}
<section class="why" aria-label="Why a person decides">
  <p>${state.rule ? html`Rule <code>${state.rule.path}</code> at <code>${state.rule.file ?? 'policy'}:${state.rule.line}</code>` : 'Rule not recorded'}</p>
  ${(state.explanation ?? []).length > 0 ? html`<ol class="explanation" role="list">${(state.explanation ?? []).map((line) => html`<li>${line}</li>`)}</ol>` : ''}
</section>
<div class="state">
  ${state.status === 'pending' && state.deadline !== null
    ? html`<p class="deadline">Deadline <time datetime="${new Date(state.deadline).toISOString()}" data-countdown="${state.deadline}" title="${utc(state.deadline)}">${timeLeft(state.deadline, now)}</time>${state.escalated ? html` <span class="escalated">escalated</span>` : ''}</p>`
    : ''}
  <p class="quorum">Approvals <strong>${approved} of ${state.quorum}</strong>${approved > 0 ? html` — approved so far: ${state.approvedBy.join(', ')}` : ''}</p>
  ${state.status === 'pending' ? '' : html`<p class="outcome" data-outcome>${view.summary}</p>`}
  ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
</div>
${controls(o, id, titleId)}
<details class="history"${o.historyOpen ? html` open` : ''}><summary>History (${state.history.length})</summary><ol>${state.history.map(historyItem)}</ol></details>
</article>`;
}
