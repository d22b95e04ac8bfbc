import path from 'node:path';
import pino from 'pino';
import { loadConfigOrExit } from './environment.js';
import { startServer } from './server.js';

async function main() {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.LOG_LEVEL });
  const running = await startServer(config, { logger });
  logger.info(
    { port: config.PORT, database: running.ctx.database.kind === 'pglite' ? `embedded (${path.resolve(config.DATA_DIR)})` : 'postgres', redis: Boolean(config.REDIS_URL) },
    `Portcullis API listening on http://localhost:${config.PORT}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await running.close().catch((err) => logger.error({ err }, 'error while shutting down'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(`Portcullis API failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
