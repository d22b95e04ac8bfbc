import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import { loadConfigOrExit } from './environment.js';

/**
 * `npm run start:cluster`: one API worker per core behind one port (node:cluster), restarted
 * when one dies. Every worker is a whole API instance; they agree through the database
 * (migrations and key rotation under advisory locks, revocations over LISTEN/NOTIFY) and share
 * rate limits through Redis, or through this primary process when REDIS_URL is not set.
 */

if (cluster.isPrimary) {
  const config = loadConfigOrExit();
  if (!config.DATABASE_URL) {
    console.error('start:cluster needs DATABASE_URL: the embedded database can be opened by one process only (use npm start for a single process).');
    process.exit(1);
  }
  // Workers without Redis keep their counters here, so a limit holds across all of them.
  if (!config.REDIS_URL) new RateLimiterClusterMaster();

  const size = config.CLUSTER_WORKERS ?? os.availableParallelism();
  let stopping = false;
  const recentDeaths: number[] = [];

  // Each worker hashes passwords on its share of the cores: a hash per core across all of them,
  // not per core in each (services/passwords.ts).
  const hashConcurrency = config.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, Math.round(os.availableParallelism() / size));
  const serving = new Set<number>();
  const fork = () => {
    const worker = cluster.fork({ PASSWORD_HASH_CONCURRENCY: String(hashConcurrency) });
    worker.once('listening', () => serving.add(worker.id));
  };
  cluster.on('exit', (worker: Worker, code, signal) => {
    serving.delete(worker.id);
    if (stopping) return;
    // A worker that keeps dying at start (bad database, say) is restarted ever more slowly.
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length && (recentDeaths[0] ?? now) < now - 60_000) recentDeaths.shift();
    const delay = Math.min(30_000, 250 * 2 ** Math.max(0, recentDeaths.length - size));
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another in ${delay} ms`);
    setTimeout(fork, delay);
  });

  // Each worker drains on the signal (main.ts); the primary forwards it, waits for every worker
  // to exit, and exits 0 only if they all did. Workers past their own deadline are killed.
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = workers.length;
    let failed = false;
    if (left === 0) process.exit(0);
    for (const worker of workers) {
      // A worker still loading its modules (before main.ts takes the signal over) ends by the signal
      // itself: it served nothing, so that is a clean stop too.
      const wasServing = serving.has(worker.id);
      worker.once('exit', (code, exitSignal) => {
        if (code !== 0 && !(exitSignal === signal && !wasServing)) failed = true;
        if (--left === 0) process.exit(failed ? 1 : 0);
      });
      worker.process.kill(signal);
    }
    setTimeout(() => {
      console.error(`workers still running ${config.SHUTDOWN_TIMEOUT + 10_000} ms after ${signal}: killing them`);
      for (const worker of workers) worker.process.kill('SIGKILL');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT + 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  for (let i = 0; i < size; i++) fork();
} else {
  // Each worker runs the ordinary single-process entry point.
  await import('./main.js');
}
