import { Worker } from 'node:worker_threads';

/**
 * Times POSTs from a thread of their own, as a remote client would see them. The test server
 * shares this process's event loop, and the embedded PGlite runs its queries on it: a client on
 * the same loop would also be timing the server's work that happens after the answer was sent.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const samples = [];
  for (const body of workerData.bodies) {
    const started = performance.now();
    const res = await fetch(workerData.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    samples.push({ status: res.status, ms: performance.now() - started });
    await new Promise((resolve) => setTimeout(resolve, workerData.pauseMs));
  }
  parentPort.postMessage(samples);
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

export interface TimedResponse {
  status: number;
  ms: number;
}

/** POSTs each body in turn, pausing `pauseMs` after each so its background work can finish. */
export function timePostsFromAnotherThread(url: string, bodies: unknown[], pauseMs: number): Promise<TimedResponse[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { url, bodies, pauseMs } });
    worker.once('message', (message: TimedResponse[] | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}
