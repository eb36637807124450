/**
 * The policy playground's script: lints the YAML as you type (the server compiles it with the
 * service's own groups and channels), offers the fields the policy's conditions read as inputs
 * that fill the request JSON, and explains on submit, showing exactly what
 * `countersign policy explain` prints. Nothing runs here but fetch and DOM updates: the engine
 * is the server's, so the two never disagree.
 */
interface Problem {
  line: number;
  column: number;
  code: string;
  message: string;
  hint: string | null;
}
interface Field {
  path: string;
  action: string | null;
  param: string;
}
type Lint = { ok: true; blueprint: string; fields: Field[] } | { ok: false; errors: Problem[] };
type Explain = { ok: true; decision: { verdict: string }; text: string } | { ok: false; errors: Problem[] };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function problems(list: readonly Problem[], goTo: (p: Problem) => void): HTMLElement {
  if (list.length === 0) return el('p', { class: 'ok' }, 'No problems.');
  const ul = el('ul', { class: 'problems' });
  for (const p of list) {
    const li = el('li', { 'data-line': String(p.line), 'data-column': String(p.column) });
    const where = el('button', { type: 'button', class: 'link' }, `Line ${p.line}, column ${p.column}`);
    where.addEventListener('click', () => goTo(p));
    li.append(where, ' ', el('code', {}, p.code), `: ${p.message}`);
    if (p.hint) li.append(el('div', { class: 'hint' }, p.hint));
    ul.append(li);
  }
  return ul;
}

/** A typed value from a field: numbers and booleans as such, everything else as text. */
function typed(raw: string): unknown {
  const t = raw.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return raw;
}

export function startPlayground(): void {
  const form = document.getElementById('playground') as HTMLFormElement | null;
  if (!form) return;
  const csrf = document.body.dataset.csrf ?? '';
  const yaml = form.querySelector<HTMLTextAreaElement>('#pg-yaml')!;
  const request = form.querySelector<HTMLTextAreaElement>('#pg-request')!;
  const at = form.querySelector<HTMLInputElement>('#pg-at')!;
  const blueprint = form.querySelector<HTMLSelectElement>('#pg-blueprint')!;
  const lintBox = document.getElementById('pg-lint')!;
  const fieldsBox = document.getElementById('pg-fields')!;
  const resultBox = document.getElementById('pg-result')!;

  const post = async <T>(path: string, body: unknown): Promise<T | null> => {
    try {
      const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body), credentials: 'same-origin' });
      if (res.status === 401) location.assign(`/sign-in?next=${encodeURIComponent('/playground')}`);
      return res.ok ? ((await res.json()) as T) : null;
    } catch {
      return null;
    }
  };

  const goTo = (p: Problem): void => {
    const lines = yaml.value.split('\n');
    const offset = lines.slice(0, Math.max(0, p.line - 1)).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, p.column - 1);
    yaml.focus();
    yaml.setSelectionRange(offset, offset);
  };

  const showFields = (fields: readonly Field[]): void => {
    fieldsBox.replaceChildren();
    if (fields.length === 0) {
      fieldsBox.append(el('p', { class: 'muted' }, "This policy's conditions read no request fields."));
      return;
    }
    fields.forEach((f, i) => {
      const wrap = el('div', { class: 'field' });
      const input = el('input', { id: `pg-field-${i}`, 'data-field': f.param, 'data-action': f.action ?? '', autocomplete: 'off' });
      wrap.append(el('label', { for: input.id }, f.path), input);
      fieldsBox.append(wrap);
    });
  };

  let seq = 0;
  const lint = async (): Promise<void> => {
    const mine = ++seq;
    const result = await post<Lint>('/console/policy/lint', { yaml: yaml.value });
    if (mine !== seq || result === null) return;
    lintBox.replaceChildren(problems(result.ok ? [] : result.errors, goTo));
    yaml.setAttribute('aria-invalid', result.ok ? 'false' : 'true');
    if (result.ok) showFields(result.fields);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  yaml.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void lint(), 200);
  });

  blueprint.addEventListener('change', async () => {
    if (blueprint.value === '') {
      yaml.value = '';
      yaml.focus();
      return void lint();
    }
    const res = await fetch(`/console/policy/source?blueprint=${encodeURIComponent(blueprint.value)}`, { credentials: 'same-origin' });
    if (!res.ok) return;
    yaml.value = ((await res.json()) as { yaml: string }).yaml;
    void lint();
  });

  // A field fills its place in the request JSON; the JSON stays the one source of the request.
  fieldsBox.addEventListener('input', (e) => {
    const input = e.target as HTMLInputElement;
    if (!input.dataset.field) return;
    let value: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.value);
      value = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      value = {};
    }
    if (input.dataset.action) value.action = input.dataset.action;
    const params = (value.params !== null && typeof value.params === 'object' ? value.params : {}) as Record<string, unknown>;
    params[input.dataset.field] = typed(input.value);
    value.params = params;
    request.value = JSON.stringify(value, null, 2);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    resultBox.setAttribute('aria-busy', 'true');
    const result = await post<Explain>('/console/policy/explain', { yaml: yaml.value, request: request.value, at: at.value });
    resultBox.removeAttribute('aria-busy');
    if (result === null) {
      resultBox.replaceChildren(el('p', { class: 'error', role: 'alert' }, 'Could not reach Countersign. Try again.'));
      return;
    }
    if (!result.ok) {
      const box = el('div', { class: 'error', role: 'alert' });
      box.append(problems(result.errors, goTo));
      resultBox.replaceChildren(box);
      return;
    }
    resultBox.replaceChildren(
      el('p', { class: `verdict verdict-${result.decision.verdict}`, 'data-verdict': result.decision.verdict }, result.decision.verdict),
      el('pre', { class: 'explain' }, result.text),
    );
  });
}
