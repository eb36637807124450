/**
 * The policy playground page: a loaded blueprint (or pasted YAML) in an editor, linted as you
 * type; a request built from the fields the policy's conditions read, or written as JSON; and
 * `decide()`'s verdict and numbered explanation exactly as `countersign policy explain` prints it.
 * Without the script, the form posts and the page comes back with the result.
 */
import type { ExplainResult, LintProblem, PolicyField } from '../../policy/playground.js';
import { html, type Html } from '../html.js';
import { page, type Viewer } from './layout.js';

export interface PlaygroundView {
  viewer: Viewer;
  blueprints: readonly string[];
  blueprint: string;
  yaml: string;
  request: string;
  at: string;
  fields: PolicyField[];
  lint: LintProblem[];
  result: ExplainResult | null;
}

export function problemsList(problems: readonly LintProblem[]): Html {
  if (problems.length === 0) return html`<p class="ok">No problems.</p>`;
  return html`<ul class="problems">${problems.map(
    (p) => html`<li data-line="${p.line}" data-column="${p.column}"><strong>Line ${p.line}, column ${p.column}</strong> <code>${p.code}</code>: ${p.message}${p.hint ? html`<div class="hint">${p.hint}</div>` : ''}</li>`,
  )}</ul>`;
}

export function fieldsList(fields: readonly PolicyField[]): Html {
  if (fields.length === 0) return html`<p class="muted">This policy's conditions read no request fields.</p>`;
  return html`${fields.map(
    (f, i) => html`<div class="field"><label for="pg-field-${i}">${f.path}</label><input id="pg-field-${i}" data-field="${f.param}" data-action="${f.action ?? ''}" autocomplete="off"></div>`,
  )}`;
}

export function resultView(result: ExplainResult | null): Html {
  if (result === null) return html`<p class="muted">Build a request and press Explain.</p>`;
  if (!result.ok) return html`<div class="error" role="alert">${problemsList(result.errors)}</div>`;
  return html`<p class="verdict verdict-${result.decision.verdict}" data-verdict="${result.decision.verdict}">${result.decision.verdict}</p><pre class="explain">${result.text}</pre>`;
}

export function playgroundPage(v: PlaygroundView): Html {
  const body = html`<div class="heading"><h1>Policy playground</h1><p class="count">Nothing here is saved: the policy directory stays the source.</p></div>
<form id="playground" class="playground" method="post" action="/playground">
  <input type="hidden" name="_csrf" value="${v.viewer.csrf}">
  <section aria-labelledby="pg-policy-title">
    <h2 id="pg-policy-title">Policy</h2>
    <label for="pg-blueprint">Blueprint</label>
    <select id="pg-blueprint" name="blueprint">${v.blueprints.map((b) => html`<option value="${b}"${b === v.blueprint ? html` selected` : ''}>${b}</option>`)}<option value=""${v.blueprint === '' ? html` selected` : ''}>Pasted YAML</option></select>
    <label for="pg-yaml">Policy YAML</label>
    <textarea id="pg-yaml" name="yaml" rows="22" spellcheck="false" autocapitalize="off" aria-describedby="pg-lint"${v.lint.length > 0 ? html` aria-invalid="true"` : ''}>${v.yaml}</textarea>
    <div id="pg-lint" class="lint" aria-live="polite" aria-label="Lint">${problemsList(v.lint)}</div>
  </section>
  <section aria-labelledby="pg-request-title">
    <h2 id="pg-request-title">Request</h2>
    <fieldset><legend>Fields the policy reads</legend><div id="pg-fields">${fieldsList(v.fields)}</div></fieldset>
    <label for="pg-request">Request JSON</label>
    <textarea id="pg-request" name="request" rows="7" spellcheck="false" autocapitalize="off">${v.request}</textarea>
    <label for="pg-at">Time</label>
    <input id="pg-at" name="at" value="${v.at}" placeholder="now, or e.g. 2026-11-24T10:00:00Z" autocomplete="off">
    <button type="submit" class="primary">Explain</button>
    <h2 id="pg-result-title">Decision</h2>
    <div id="pg-result" aria-live="polite" aria-labelledby="pg-result-title">${resultView(v.result)}</div>
  </section>
</form>`;
  return page({ title: 'Policy playground', viewer: v.viewer, nav: 'playground', body });
}
