// Container health check: `node /app/deploy/healthcheck.mjs api|worker`.
//   api    → GET /readyz answers 200 (Temporal reachable and at least one policy loaded).
//   worker → Temporal lists a poller on the task queue whose identity names this container
//            (the SDK's default identity is <pid>@<hostname>), i.e. this worker is polling.
import { hostname } from 'node:os';

const kind = process.argv[2];
const fail = (why) => {
  console.error(`unhealthy: ${why}`);
  process.exit(1);
};

if (kind === 'api') {
  const port = process.env.COUNTERSIGN_PORT ?? '8787';
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4000) });
    if (res.status !== 200) fail(`/readyz answered ${res.status}: ${await res.text()}`);
  } catch (error) {
    fail(`/readyz: ${error.message}`);
  }
} else if (kind === 'worker') {
  const { Connection } = await import('@temporalio/client');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = process.env.COUNTERSIGN_TASK_QUEUE ?? 'countersign';
  let connection;
  try {
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', connectTimeout: '3s' });
    const res = await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 });
    const me = `@${hostname()}`;
    if (!(res.pollers ?? []).some((p) => (p.identity ?? '').endsWith(me))) fail(`no poller of this container on task queue ${taskQueue}`);
  } catch (error) {
    fail(`Temporal: ${error.message}`);
  } finally {
    await connection?.close();
  }
} else {
  fail('usage: healthcheck.mjs api|worker');
}
process.exit(0);
