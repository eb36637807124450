/**
 * The page frame: header with the signed-in person and sign-out, navigation, one live region for
 * announcements. Every page is server-rendered and works before the script loads; the script
 * (console/web) adds live updates, countdowns and the deny dialog.
 */
import { html, type Html } from '../html.js';

export interface Viewer {
  name: string;
  /** Audits some tenant (`approvers[].auditorOf`): the Audit log link shows. */
  auditor?: boolean;
  /** The CSRF token forms carry (`_csrf`). */
  csrf: string;
}

export type NavItem = 'inbox' | 'history' | 'playground' | 'audit';

export interface PageOptions {
  title: string;
  body: Html;
  viewer?: Viewer | null;
  nav?: NavItem | null;
  /** Which live feed the script follows: the inbox, one request, or none. */
  live?: { kind: 'inbox' } | { kind: 'request'; id: string } | null;
}

const NAV: { item: NavItem; href: string; label: string; auditors?: true }[] = [
  { item: 'inbox', href: '/', label: 'Inbox' },
  { item: 'history', href: '/history', label: 'History' },
  { item: 'playground', href: '/playground', label: 'Policy playground' },
  { item: 'audit', href: '/audit', label: 'Audit log', auditors: true },
];

export function page(o: PageOptions): Html {
  const live = o.live ? (o.live.kind === 'inbox' ? 'inbox' : `request:${o.live.id}`) : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · Countersign</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/console.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body data-live="${live}"${o.viewer ? html` data-csrf="${o.viewer.csrf}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">Countersign</a>
  ${o.viewer && o.nav !== null
    ? html`<nav aria-label="Console"><ul>${NAV.filter((n) => !n.auditors || o.viewer?.auditor).map(
        (n) => html`<li><a href="${n.href}"${o.nav === n.item ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
      )}</ul></nav>`
    : ''}
  ${o.viewer
    ? html`<form class="who" method="post" action="/sign-out"><span>${o.viewer.name}</span><input type="hidden" name="_csrf" value="${o.viewer.csrf}"><button type="submit">Sign out</button></form>`
    : ''}
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<p id="live" class="visually-hidden" role="status" aria-live="polite"></p>
</body>
</html>
`;
}
