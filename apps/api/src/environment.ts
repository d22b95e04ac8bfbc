import path from 'node:path';
import dotenv from 'dotenv';
import { ConfigError, loadConfig, type Config } from './config.js';
import { REPO_ROOT } from './paths.js';

/**
 * How every process of the API (server, cluster, CLI) reads its configuration, so they all agree:
 * `.env` in the working directory, then the repository root's (real environment variables win),
 * and a relative DATA_DIR taken from the repository root, wherever npm happens to run the process.
 */

export function loadEnvironmentConfig(env: NodeJS.ProcessEnv = process.env): Config {
  dotenv.config({ quiet: true });
  dotenv.config({ path: path.join(REPO_ROOT, '.env'), quiet: true });
  const dataDir = env.DATA_DIR || '.data';
  const resolved = dataDir === 'memory://' || path.isAbsolute(dataDir) ? dataDir : path.resolve(REPO_ROOT, dataDir);
  return loadConfig({ ...env, DATA_DIR: resolved });
}

/** For process entry points: a bad configuration is one line on stderr and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadEnvironmentConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
