import path from 'node:path';
import type { Logger } from 'pino';
import { loadConfigOrExit } from './environment.js';
import type { RunningServer } from './server.js';
import { startTracingIfRequested, type Tracing } from './tracing/index.js';

// Few static imports on purpose: the database starts opening (PGlite: compiling and starting
// PostgreSQL's WebAssembly, most of a restart) while the rest of the API loads (issue 17).
async function main() {
  // Since the process began: Node itself, tsx (when used) and the configuration's modules.
  const loadMs = Math.round(performance.now());
  const config = loadConfigOrExit();
  // A signal that arrives while the API is still starting (start:cluster stopping a worker it just
  // forked, Ctrl-C during a slow first start) is kept, and served once start-up is done: the
  // embedded database is never cut off halfway through its migrations, and the exit is still 0.
  const shutdown = stopOnSignal(config.SHUTDOWN_TIMEOUT);
  // Optional OpenTelemetry tracing (OTEL_* variables, read after .env): it must hook module loading
  // before the database client and the server are imported. Unset, nothing of it is loaded.
  const tracing = await startTracingIfRequested();
  const started = Date.now();
  const { databaseOptions, openDatabase } = await import('./db/client.js');
  const database = openDatabase(databaseOptions(config));
  // Its failure (say, a data directory in use) is reported by startServer, which awaits it.
  database.catch(() => {});
  const [{ default: pino }, { startServer }] = await Promise.all([import('pino'), import('./server.js')]);
  const modulesMs = Date.now() - started;
  // JSON lines in production and whenever something reads the log (pipes, benches); text for a person at a terminal.
  const pretty = !config.isProduction && (config.LOG_FORMAT ? config.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY));
  const logger = pino({
    level: config.LOG_LEVEL,
    ...(pretty && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }),
  });
  const running = await startServer(config, { logger, database });
  logger.info(
    {
      port: config.PORT,
      database: running.ctx.database.kind === 'pglite' ? `embedded (${path.resolve(config.DATA_DIR)})` : 'postgres',
      redis: Boolean(config.REDIS_URL),
      startMs: Date.now() - started,
      // CPU time used so far (all threads): on a shared machine a steadier measure than startMs.
      startup: { loadMs, modulesMs, ...running.startup, cpuMs: cpuMs() },
    },
    `Portcullis API listening on http://localhost:${config.PORT}`,
  );
  shutdown.ready(running, logger, tracing);
}

/**
 * SIGTERM/SIGINT: drain (server.ts shutdown(): stop accepting, finish in-flight requests within
 * SHUTDOWN_TIMEOUT), close everything, exit 0. A close that hangs (a frozen database) ends the
 * process with 1 shortly after. A repeated signal changes nothing: Ctrl-C reaches this process
 * both from the terminal and from a parent that forwards it (npm start, start:cluster).
 */
function stopOnSignal(timeoutMs: number) {
  let requested: string | undefined;
  let stop: ((signal: string) => Promise<void>) | undefined;
  const onSignal = (signal: string) => {
    if (requested) return;
    requested = signal;
    setTimeout(() => {
      console.error(`Portcullis API: shutdown after ${signal} did not finish in time: exiting`);
      process.exit(1);
    }, timeoutMs + 5_000).unref();
    if (stop) void stop(signal);
    else console.error(`Portcullis API: ${signal} while starting: stopping as soon as start-up is done`);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return {
    ready(running: RunningServer, logger: Logger, tracing?: Tracing) {
      stop = async (signal) => {
        logger.info({ signal, timeoutMs }, 'shutting down: draining in-flight requests');
        try {
          const drained = await running.shutdown();
          // The last requests' spans, still in the exporter's batch.
          await tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'tracing: the last spans could not be sent'));
          if (drained.unfinished > 0) logger.warn(drained, 'shutdown: requests still running at SHUTDOWN_TIMEOUT were cut off');
          else logger.info(drained, 'shut down cleanly');
          process.exit(0);
        } catch (err) {
          logger.error({ err }, 'error while shutting down');
          process.exit(1);
        }
      };
      if (requested) void stop(requested);
    },
  };
}

/** CPU time this process has used so far, all threads, in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

main().catch((error) => {
  console.error(`Portcullis API failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
