/**
 * Text helpers for Slack mrkdwn: escaping, safe truncation and `<!date^…>` formatting. Pure.
 * Every piece of user- or agent-supplied text goes through {@link escapeMrkdwn} before it is
 * placed in a mrkdwn field, so a value can never open a link, a mention (`<!channel>`) or a tag.
 */

/** Escapes the three characters Slack's mrkdwn gives meaning to: `&`, `<`, `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts `text` to at most `max` code points (never inside a surrogate pair), ending with `…` when
 * cut. Truncate before escaping so an entity (`&amp;`) is never split.
 */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Any value as one readable line: strings as they are, everything else as compact JSON. */
export function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `truncate` then `escapeMrkdwn`, with newlines folded so a value stays on its line. */
export function safe(value: unknown, max: number): string {
  return escapeMrkdwn(truncate(display(value).replace(/\s*\n\s*/g, ' '), max));
}

/**
 * Slack date formatting: each reader sees the time in their own time zone. The fallback (shown by
 * clients that cannot format) is the ISO time in UTC.
 */
export function slackDate(ms: number, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^${format}|${new Date(ms).toISOString()}>`;
}
