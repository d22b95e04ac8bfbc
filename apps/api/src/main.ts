import path from 'node:path';
import { loadConfigOrExit } from './environment.js';

// Few static imports on purpose: the database starts opening (PGlite: compiling and starting
// PostgreSQL's WebAssembly, most of a restart) while the rest of the API loads (issue 17).
async function main() {
  // Since the process began: Node itself, tsx (when used) and the configuration's modules.
  const loadMs = Math.round(performance.now());
  const config = loadConfigOrExit();
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

  // SIGTERM/SIGINT: drain (server.ts shutdown(): stop accepting, finish in-flight requests within
  // SHUTDOWN_TIMEOUT), close everything, exit 0. A close that hangs (a frozen database) ends the
  // process with 1 shortly after. A repeated signal changes nothing: Ctrl-C reaches this process
  // both from the terminal and from a parent that forwards it (npm start, start:cluster).
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT }, 'shutting down: draining in-flight requests');
    setTimeout(() => {
      logger.error('shutdown did not finish in time: exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT + 5_000).unref();
    try {
      const drained = await running.shutdown();
      if (drained.unfinished > 0) logger.warn(drained, 'shutdown: requests still running at SHUTDOWN_TIMEOUT were cut off');
      else logger.info(drained, 'shut down cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
