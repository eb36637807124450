/** What bench/pending measures: Countersign (worker + api) or its bare-Temporal peer, behind one interface. */

/** One submission the target accepted: its id and the deadline it answered with (epoch ms). */
export interface Accepted {
  id: string;
  deadline: number;
}

export interface PendingTarget {
  /** Printed in the report. */
  readonly name: string;
  /** The worker process whose RSS is the figure. */
  readonly workerPid: number;
  /** Submits approval `i` (idempotent per `i`); throws when it was not accepted. */
  submit(i: number): Promise<Accepted>;
  /** Lists up to 100 pending; resolves with the number of rows, throws on an error answer. */
  listPending(): Promise<number>;
  /** How many have expired so far; polled while the deadlines pass, so it must be cheap for the system under test. */
  expiredCount(): Promise<number>;
  /** When each approval of `deadlines` expired, by the workflow clock (epoch ms); those not yet expired are absent. Read once, at the end. */
  expiredAt(deadlines: ReadonlyMap<string, number>): Promise<Map<string, number>>;
  /** Reminders carried out so far, when the target can tell. */
  reminders(): Promise<number | null>;
  stop(): Promise<void>;
}
