/** The console's pages: sign-in, inbox, one request, history, and the states between them. */
import type { ApprovalState, Freeze, Status } from '../../../core/index.js';
import type { ApprovalSummary } from '../../actions/service.js';
import { html, type Html } from '../html.js';
import { card } from './card.js';
import { utc } from './format.js';
import { page, type Viewer } from './layout.js';

export interface SignInOptions {
  next: string;
  error?: string | null;
  /** Set when OpenID Connect is configured: the button that starts it. */
  oidc?: { label: string } | null;
}

/**
 * The sign-in page. With OpenID Connect it is a link, not a form: the CSP's `form-action 'self'`
 * would stop a form's redirect to the provider.
 */
export function signInPage(o: SignInOptions): Html {
  const body = o.oidc
    ? html`<section class="narrow"><h1>Sign in</h1>
${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
<p><a class="button primary" role="button" href="/sign-in/oidc?next=${encodeURIComponent(o.next)}">Sign in with ${o.oidc.label}</a></p></section>`
    : html`<section class="narrow"><h1>Sign in</h1>
<p>Paste the approver token your security lead gave you (<code>approvers[].token</code> in <code>countersign.yaml</code>).</p>
${o.error ? html`<p class="error" role="alert" id="sign-in-error">${o.error}</p>` : ''}
<form method="post" action="/sign-in" class="stack">
  <input type="hidden" name="next" value="${o.next}">
  <label for="token">Token</label>
  <input id="token" name="token" type="password" required autocomplete="current-password" spellcheck="false"${o.error ? html` aria-describedby="sign-in-error" aria-invalid="true"` : ''}>
  <button type="submit" class="primary">Sign in</button>
</form></section>`;
  return page({ title: 'Sign in', body, viewer: null });
}

/** Signed in, but `countersign.yaml` has no approver for this person: nothing else is shown. */
export function noApproverPage(who: string, viewer: Viewer): Html {
  return page({
    title: 'Not an approver',
    viewer,
    nav: null,
    body: html`<section class="narrow"><h1>You are not an approver here</h1>
<p>You are signed in as <strong>${who}</strong>, but no approver in Countersign's configuration is you, so there is nothing for you to see or decide.</p>
<p>If you should approve requests, ask your security lead to add you under <code>approvers:</code> in <code>countersign.yaml</code>, then sign in again.</p></section>`,
  });
}

export interface InboxOptions {
  viewer: Viewer;
  viewerId: string;
  states: ApprovalState[];
  now: number;
  /** Temporal unreachable: the page says so and the script retries. */
  unavailable?: string | null;
  /** What the kill switch holds (agents, blueprints, this person's tenants). */
  frozen?: readonly Freeze[];
}

/** The cards of an inbox, most urgent first (the deadline that comes soonest at the top). */
export function inboxCards(o: Omit<InboxOptions, 'viewer'> & { csrf: string }): Html {
  const sorted = [...o.states].sort((a, b) => (a.deadline ?? Infinity) - (b.deadline ?? Infinity) || a.id.localeCompare(b.id));
  return html`${sorted.map((state) => card({ state, mayDecide: true, viewerId: o.viewerId, csrf: o.csrf, now: o.now }))}`;
}

export function inboxPage(o: InboxOptions): Html {
  const count = o.states.length;
  const body = html`<div class="heading"><h1>Inbox</h1><p class="count" data-count>${count === 0 ? 'Nothing waits for you' : `${count} waiting for you`}</p></div>
${o.unavailable ? html`<p class="error" role="alert">${o.unavailable}</p>` : ''}
${(o.frozen ?? []).length > 0
    ? html`<section class="frozen" aria-label="Frozen"><h2>Frozen</h2><ul>${(o.frozen ?? []).map((f) => html`<li><strong>${f.scope} ${f.value}</strong>: frozen by ${f.by} at ${utc(f.at)}: ${f.reason}. New submissions are refused.</li>`)}</ul></section>`
    : ''}
<p class="empty" data-empty${count > 0 || o.unavailable ? html` hidden` : ''}>Nothing waits for you. New requests appear here as they arrive, without a reload.</p>
<section id="cards" class="cards" aria-label="Pending requests" aria-live="off">${inboxCards({ ...o, csrf: o.viewer.csrf })}</section>`;
  return page({ title: 'Inbox', viewer: o.viewer, nav: 'inbox', live: { kind: 'inbox' }, body });
}

export function requestPage(o: { viewer: Viewer; viewerId: string; state: ApprovalState; mayDecide: boolean; now: number; error?: string | null }): Html {
  return page({
    title: o.state.request?.action ?? o.state.id,
    viewer: o.viewer,
    nav: 'inbox',
    live: { kind: 'request', id: o.state.id },
    body: html`<p class="back"><a href="/">← Inbox</a></p><section id="cards" class="cards single" aria-label="Request">${card({
      state: o.state,
      mayDecide: o.mayDecide,
      viewerId: o.viewerId,
      csrf: o.viewer.csrf,
      now: o.now,
      error: o.error ?? null,
      historyOpen: true,
    })}</section>`,
  });
}

/** The answer for an id the viewer may not see and for one that does not exist: the same page. */
export function notFoundPage(viewer: Viewer | null): Html {
  return page({
    title: 'Not found',
    viewer,
    nav: 'inbox',
    body: html`<section class="narrow"><h1>Nothing here</h1><p>There is no request at this address that you may see. It may have been mistyped, or it is not one of yours to decide.</p><p><a href="/">Back to the inbox</a></p></section>`,
  });
}

export function unavailablePage(viewer: Viewer | null, message: string): Html {
  return page({ title: 'Unavailable', viewer, nav: 'inbox', body: html`<section class="narrow"><h1>Try again in a moment</h1><p class="error" role="alert">${message}</p></section>` });
}

export interface HistoryFilter {
  blueprint?: string | undefined;
  status?: Status | undefined;
  agent?: string | undefined;
  /** `YYYY-MM-DD`, UTC: submitted on or after. */
  from?: string | undefined;
  /** `YYYY-MM-DD`, UTC: submitted on or before. */
  to?: string | undefined;
}

export const HISTORY_STATUSES: readonly Status[] = ['approved', 'denied', 'expired', 'blocked', 'withdrawn'];

export function historyPage(o: { viewer: Viewer; rows: ApprovalSummary[]; filter: HistoryFilter; blueprints: readonly string[]; error?: string | null }): Html {
  const f = o.filter;
  const option = (value: string, current: string | undefined, label = value) =>
    html`<option value="${value}"${current === value ? html` selected` : ''}>${label}</option>`;
  const rows = o.rows.map(
    (r) => html`<tr>
  <td><a href="/requests/${encodeURIComponent(r.id)}">${r.action ?? r.id}</a><div class="sub">${r.summary ?? ''}</div></td>
  <td><span class="badge status-${r.status}">${r.status}</span></td>
  <td>${r.blueprint ?? ''}</td>
  <td>${r.agent ?? ''}</td>
  <td>${r.decidedBy ?? ''}</td>
  <td>${r.reason ?? ''}</td>
  <td>${r.closedAt !== null ? html`<time datetime="${new Date(r.closedAt).toISOString()}">${utc(r.closedAt)}</time>` : ''}</td>
</tr>`,
  );
  const body = html`<div class="heading"><h1>History</h1></div>
<form class="filters" method="get" action="/history" aria-label="Filter history">
  <label>Blueprint <select name="blueprint">${option('', f.blueprint, 'any')}${o.blueprints.map((b) => option(b, f.blueprint))}</select></label>
  <label>Status <select name="status">${option('', f.status, 'any')}${HISTORY_STATUSES.map((s) => option(s, f.status))}</select></label>
  <label>Agent <input name="agent" value="${f.agent ?? ''}" autocomplete="off"></label>
  <label>From <input type="date" name="from" value="${f.from ?? ''}"></label>
  <label>To <input type="date" name="to" value="${f.to ?? ''}"></label>
  <button type="submit">Filter</button>
</form>
${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
${o.rows.length === 0 && !o.error
    ? html`<p class="empty">No decided requests match. Requests you could decide appear here once they are approved, denied, expired or blocked.</p>`
    : html`<div class="table-wrap"><table><caption class="visually-hidden">Decided requests, newest first</caption>
<thead><tr><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Blueprint</th><th scope="col">Agent</th><th scope="col">Decided by</th><th scope="col">Why</th><th scope="col">When</th></tr></thead>
<tbody>${rows}</tbody></table></div>`}`;
  return page({ title: 'History', viewer: o.viewer, nav: 'history', body });
}
