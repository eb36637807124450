/** The audit page: the chain's verification status, then the auditor's entries, newest first. */
import type { AuditView } from '../audit.js';
import { html, type Html } from '../html.js';
import { utc } from './format.js';
import { page, type Viewer } from './layout.js';

function signatures(v: Extract<AuditView['verified'], { ok: true }>): string {
  const sig = v.signatures;
  if (!sig) return 'No entry is signed (no blueprint here asks for signedEntries).';
  if (!sig.checked) return `${sig.signed} entries are signed (keys ${sig.keys.join(', ')}), but no public key is beside the log to check them.`;
  return `${sig.signed} signed entries verified (Ed25519, keys ${sig.keys.join(', ')}).`;
}

export function auditPage(o: { viewer: Viewer; view: AuditView | null; file: string | null; tenants: readonly string[] }): Html {
  const v = o.view;
  const status = o.file === null
    ? html`<p class="error" role="alert">This API process keeps no audit log: the workers write it. Open the console of a process that runs a worker (<code>countersign start</code>), or verify the file with <code>countersign audit verify</code>.</p>`
    : v === null
      ? html`<p class="empty">No audit entries yet.</p>`
      : v.verified.ok
        ? html`<p class="chain ok" data-chain="ok">Chain intact: ${v.verified.entries} entries, every hash links to the one before. ${signatures(v.verified)}</p>`
        : html`<p class="chain error" role="alert" data-chain="broken">Chain broken at line ${v.verified.line}: ${v.verified.reason}</p>`;
  const rows = (v?.entries ?? []).map(
    (r) => html`<tr>
  <td>${r.seq}</td>
  <td><time datetime="${r.at}">${utc(Date.parse(r.at))}</time></td>
  <td><span class="badge">${r.event}</span></td>
  <td>${r.id.startsWith('act_') ? html`<a href="/requests/${encodeURIComponent(r.id)}">${r.id}</a>` : r.id}</td>
  <td>${r.who}</td>
  <td>${r.why ?? ''}</td>
  <td><details><summary>data</summary><pre class="data">${JSON.stringify(r.data, null, 2)}</pre></details></td>
</tr>`,
  );
  const body = html`<div class="heading"><h1>Audit log</h1><p class="count">Tenants ${o.tenants.join(', ')}${v ? html` · ${v.matched} entries${v.matched > v.entries.length ? html`, the newest ${v.entries.length} shown` : ''}` : ''}</p></div>
${status}
${rows.length > 0
    ? html`<div class="table-wrap"><table><caption class="visually-hidden">Audit entries, newest first</caption>
<thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Event</th><th scope="col">Request</th><th scope="col">Who</th><th scope="col">Why</th><th scope="col">Details</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
    : ''}`;
  return page({ title: 'Audit log', viewer: o.viewer, nav: 'audit', body });
}
