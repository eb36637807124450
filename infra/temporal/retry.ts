/**
 * The client connection's gRPC retries, made aware of the service's state. The SDK retries a
 * failed call up to ten times over about twenty seconds; that is right for a blip, wrong while
 * Temporal is known to be down (callers should hear 503 at once) and unsafe while the connection
 * closes (a retry fired after the close throws in a timer, where nothing can catch it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

export interface GuardedRetry {
  /** For `Connection.connect({ interceptors: [interceptor] })`. */
  readonly interceptor: ReturnType<typeof makeGrpcRetryInterceptor>;
  /** Stops new retries and waits until every one already scheduled has fired; call before closing the connection. */
  quiesce(): Promise<void>;
}

/** The SDK's retry policy, with no retry while `isUp()` is false or once `quiesce()` was called. */
export function guardedRetry(isUp: () => boolean): GuardedRetry {
  const base = defaultGrpcRetryOptions();
  let closing = false;
  let lastRetryAt = 0;
  return {
    interceptor: makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => !closing && isUp() && base.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = base.delayFunction(attempt, status);
        lastRetryAt = Math.max(lastRetryAt, Date.now() + delay);
        return delay;
      },
    }),
    async quiesce() {
      closing = true;
      const wait = lastRetryAt - Date.now();
      if (wait > 0) await sleep(wait + 20);
    },
  };
}
