/**
 * Summarising a noisy source of log lines: the Temporal SDK logs a warning for every failed poll
 * while the server is away (dozens a second). The first line of a kind is written as it comes;
 * repeats within the window are counted and written once, as one line with the count, when the
 * window closes. A kind is the message with its numbers taken out.
 */

export interface SummaryOptions {
  /** How long repeats of one kind are folded together (default 30 s). */
  windowMs?: number;
}

export type LogLine = (level: string, message: string, meta: Record<string, unknown>) => void;

/** Wraps `write` so that a burst of one kind of line costs two lines: the first and the count. */
export function summarizeRepeats(write: LogLine, options: SummaryOptions = {}): LogLine {
  const windowMs = options.windowMs ?? 30_000;
  const open = new Map<string, { level: string; message: string; repeats: number }>();
  return (level, message, meta) => {
    const kind = `${level} ${message.replace(/\d+(\.\d+)?/g, '#')}`;
    const folding = open.get(kind);
    if (folding) {
      folding.repeats++;
      return;
    }
    write(level, message, meta);
    const entry = { level, message, repeats: 0 };
    open.set(kind, entry);
    setTimeout(() => {
      open.delete(kind);
      if (entry.repeats > 0) write(entry.level, `${entry.message} (and ${entry.repeats} more like it in the last ${Math.round(windowMs / 1000)} s)`, { repeats: entry.repeats });
    }, windowMs).unref();
  };
}
