/**
 * The console's browser script. Pages work without it (server-rendered forms); it adds what a
 * page cannot do alone: live updates over Server-Sent Events (the server says which request
 * changed, this fetches that one card as HTML and swaps it in place), countdowns to deadlines,
 * the deny dialog, decisions without a reload, and the playground's lint-as-you-type.
 */
import { startPlayground } from './playground.js';

const live = document.getElementById('live');
const cards = (): HTMLElement | null => document.getElementById('cards');
const liveKind = document.body.dataset.live ?? '';

/** Says `text` to screen readers through the page's one polite live region. */
function announce(text: string): void {
  if (live) live.textContent = text;
}

function timeLeft(deadline: number, now: number): string {
  const s = Math.floor((deadline - now) / 1000);
  if (s <= 0) return 'overdue';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `in ${h}h ${String(m).padStart(2, '0')}m` : `in ${m}m ${String(sec).padStart(2, '0')}s`;
}

function tick(): void {
  const now = Date.now();
  for (const el of document.querySelectorAll<HTMLElement>('[data-countdown]')) {
    const text = timeLeft(Number(el.dataset.countdown), now);
    if (el.textContent !== text) el.textContent = text;
  }
}

function signIn(): void {
  location.assign(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
}

function parseCard(text: string): HTMLElement | null {
  const t = document.createElement('template');
  t.innerHTML = text.trim();
  const el = t.content.firstElementChild;
  return el instanceof HTMLElement && el.tagName === 'ARTICLE' ? el : null;
}

function updateCount(): void {
  const list = cards();
  if (!list || liveKind !== 'inbox') return;
  const pending = list.querySelectorAll('article[data-status="pending"]').length;
  const count = document.querySelector<HTMLElement>('[data-count]');
  if (count) count.textContent = pending === 0 ? 'Nothing waits for you' : `${pending} waiting for you`;
  const empty = document.querySelector<HTMLElement>('[data-empty]');
  if (empty) empty.hidden = list.children.length > 0;
}

/** Puts `next` where its card is, or (inbox, still pending) where its deadline sorts it. */
function placeCard(next: HTMLElement): void {
  const list = cards();
  if (!list) return;
  const current = document.getElementById(next.id);
  if (current) {
    if (current.dataset.version === next.dataset.version) return;
    const wasPending = current.dataset.status === 'pending';
    const focusedName = current.contains(document.activeElement) ? (document.activeElement as HTMLElement).getAttribute('name') : null;
    const openHistory = current.querySelector('details.history')?.hasAttribute('open');
    current.replaceWith(next);
    if (openHistory) next.querySelector('details.history')?.setAttribute('open', '');
    if (focusedName) next.querySelector<HTMLElement>(`[name="${focusedName}"]`)?.focus();
    if (wasPending && next.dataset.status !== 'pending') announce(`${next.querySelector('h2')?.textContent ?? 'A request'}: ${next.dataset.status}`);
  } else {
    if (liveKind !== 'inbox' || next.dataset.status !== 'pending') return;
    const deadline = Number(next.dataset.deadline || Infinity);
    const after = [...list.querySelectorAll<HTMLElement>(':scope > article')].find((a) => Number(a.dataset.deadline || Infinity) > deadline);
    list.insertBefore(next, after ?? null);
    announce(`New request: ${next.querySelector('h2')?.textContent ?? next.dataset.id}`);
  }
  updateCount();
  tick();
}

async function fetchFragment(url: string): Promise<Response | null> {
  try {
    const res = await fetch(url, { headers: { 'x-countersign-fragment': '1' }, credentials: 'same-origin' });
    if (res.status === 401) signIn();
    return res;
  } catch {
    return null;
  }
}

async function refreshCard(id: string): Promise<void> {
  // A request page keeps its link's query (h, exp): a link that may not decide stays that way.
  const query = liveKind === `request:${id}` ? location.search : '';
  const res = await fetchFragment(`/console/fragments/cards/${encodeURIComponent(id)}${query}`);
  if (!res) return;
  if (res.status === 404) {
    document.querySelector(`article[data-id="${CSS.escape(id)}"]`)?.remove();
    updateCount();
    return;
  }
  if (!res.ok) return;
  const el = parseCard(await res.text());
  if (el) placeCard(el);
}

async function refreshInbox(): Promise<void> {
  const res = await fetchFragment('/console/fragments/inbox');
  if (!res?.ok) return;
  const t = document.createElement('template');
  t.innerHTML = await res.text();
  const fresh = [...t.content.querySelectorAll<HTMLElement>(':scope > article')];
  const ids = new Set(fresh.map((a) => a.dataset.id));
  for (const el of fresh) placeCard(el);
  // A card that left the pending list was decided or expired: show how it ended.
  for (const old of cards()?.querySelectorAll<HTMLElement>(':scope > article[data-status="pending"]') ?? []) {
    if (!ids.has(old.dataset.id)) void refreshCard(old.dataset.id!);
  }
}

function follow(): void {
  if (!liveKind || typeof EventSource === 'undefined') return;
  const source = new EventSource('/console/events');
  source.addEventListener('open', () => {
    if (liveKind === 'inbox') void refreshInbox();
    else if (liveKind.startsWith('request:')) void refreshCard(liveKind.slice('request:'.length));
  });
  source.addEventListener('change', (e) => {
    const { id } = JSON.parse((e as MessageEvent<string>).data) as { id: string };
    if (liveKind === 'inbox' || liveKind === `request:${id}`) void refreshCard(id);
  });
  source.addEventListener('signed-out', () => {
    source.close();
    signIn();
  });
}

async function submitDecision(form: HTMLFormElement): Promise<void> {
  const article = form.closest('article');
  const buttons = article ? [...article.querySelectorAll('button')] : [];
  for (const b of buttons) b.disabled = true;
  article?.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(form.action, {
      method: 'POST',
      headers: { 'x-countersign-fragment': '1', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
      credentials: 'same-origin',
    });
    if (res.status === 401) return signIn();
    const next = parseCard(await res.text());
    form.closest('dialog')?.close();
    if (next) {
      document.getElementById(next.id)?.replaceWith(next);
      updateCount();
      announce(next.querySelector('[role="alert"]')?.textContent ?? `${next.querySelector('h2')?.textContent ?? 'Request'}: ${next.dataset.status}`);
      return;
    }
    if (res.status === 404) {
      article?.remove();
      updateCount();
      announce('That request is no longer yours to decide.');
    }
  } catch {
    announce('Could not reach Countersign. Try again.');
  } finally {
    article?.removeAttribute('aria-busy');
    for (const b of buttons) if (b.isConnected) b.disabled = false;
  }
}

document.addEventListener('click', (e) => {
  const target = e.target as HTMLElement;
  const opener = target.closest<HTMLElement>('[data-open]');
  if (opener) {
    const dialog = document.getElementById(opener.dataset.open!) as HTMLDialogElement | null;
    dialog?.showModal();
    dialog?.querySelector('textarea')?.focus();
    return;
  }
  if (target.closest('[data-close]')) target.closest('dialog')?.close();
});

document.addEventListener('submit', (e) => {
  const form = e.target as HTMLFormElement;
  if (!form.matches('form[data-enhance]')) return;
  e.preventDefault();
  void submitDecision(form);
});

tick();
setInterval(tick, 1000);
follow();
startPlayground();
