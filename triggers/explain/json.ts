/**
 * Strict JSON parsing with a position on failure. `JSON.parse` on Node 20 often omits where it
 * failed ("Unexpected end of JSON input", "Unexpected token 'x', … is not valid JSON"), so on error
 * a small scanner walks the text again to find the first offending character.
 */

export interface JsonErrorInfo {
  /** 0-based offset of the offending character (text length for an unexpected end). */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type JsonResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: JsonErrorInfo };

class Fail extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

function show(ch: string | undefined): string {
  return ch === undefined ? 'end of input' : JSON.stringify(ch);
}

/** Finds the first syntax error in `text`; `undefined` when the scanner accepts it. */
function scan(text: string): Fail | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (what: string): never => {
    throw new Fail(i, `expected ${what} but found ${show(text[i])}`);
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) {
      if (text[i] !== word[k]) expect(`"${word}"`);
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const ch = text[i];
      if (ch === undefined) throw new Fail(i, 'unterminated string');
      if (ch === '"') {
        i++;
        return;
      }
      if (ch < ' ') throw new Fail(i, 'control character in string (escape it, e.g. \\n)');
      if (ch === '\\') {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else throw new Fail(i, 'bad escape in string');
        continue;
      }
      i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-' || m[0] === '') expect('a value');
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) throw new Fail(i, 'nested too deeply');
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') expect(text[i] === "'" ? 'a double-quoted property name' : 'a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') expect('":"');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        expect('"," or "}"');
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        expect('"," or "]"');
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    expect(ch === "'" ? 'a value (strings use double quotes)' : 'a value');
  };
  try {
    value(0);
    ws();
    if (i < text.length) throw new Fail(i, `unexpected ${show(text[i])} after the JSON value`);
    return undefined;
  } catch (err) {
    if (err instanceof Fail) return err;
    throw err;
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Parses `text` as JSON; on failure says where (0-based offset, 1-based line/column) and why. */
export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const found = scan(text);
    const offset = found?.offset ?? 0;
    const message = found?.message ?? (err as Error).message;
    return { ok: false, error: { offset, ...position(text, offset), message } };
  }
}
