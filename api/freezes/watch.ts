/**
 * Each API process's view of the kill switch: the freezes workflow's list, read by a Query every
 * `intervalMs` (one query per process, however many submissions). A submission checks it; a view
 * older than `staleMs` is read again first, and a list that cannot be read refuses the submission
 * (503): fail closed, never "probably not frozen".
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { freezesQuery, freezesWorkflowId, type Freeze } from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';

export class FreezeWatch {
  private freezes: Freeze[] = [];
  private readAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private inflight: Promise<Freeze[]> | null = null;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly logger: Logger,
    private readonly intervalMs = 500,
    private readonly staleMs = 2000,
  ) {}

  start(): void {
    const tick = () => {
      this.refresh()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Reads the list now. @throws when Temporal does not answer. */
  refresh(): Promise<Freeze[]> {
    this.inflight ??= (async () => {
      try {
        this.freezes = await this.client.workflow.getHandle(freezesWorkflowId(this.taskQueue)).query(freezesQuery);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        this.freezes = []; // nobody has frozen anything yet
      }
      this.readAt = Date.now();
      return this.freezes;
    })().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** The list as last read (for display; submissions use {@link current}). */
  known(): readonly Freeze[] {
    return this.freezes;
  }

  /** The list, read again first when the last read is older than `staleMs`. @throws when it cannot be read. */
  async current(): Promise<readonly Freeze[]> {
    if (Date.now() - this.readAt <= this.staleMs) return this.freezes;
    try {
      return await this.refresh();
    } catch (error) {
      this.logger.warn({ err: error }, 'the freeze list cannot be read: submissions are refused until it can');
      throw error;
    }
  }
}
