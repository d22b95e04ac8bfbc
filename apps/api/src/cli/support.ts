import { createInterface } from 'node:readline';
import { fields } from '@portcullis/contract';
import pino from 'pino';
import { loadEnvironmentConfig } from '../environment.js';
import type { AppContext } from '../context.js';
import { DataDirLockedError } from '../db/dataDirLock.js';
import { createContext } from '../server.js';
import { ApiError } from '../services/errors.js';
import { findUserByEmail, findUserById, type UserWithMfa } from '../services/users.js';

/** What every CLI command shares: the server's configuration and database, and error reporting. */

/** The same configuration as the server's (see environment.ts). */
export const loadCliConfig = loadEnvironmentConfig;

export class CliError extends Error {
  override name = 'CliError';
}

/** Opens the server's database and services, runs `fn`, and always closes them again. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  // Logs go to stderr, so that stdout holds only the command's output.
  // Quiet unless LOG_LEVEL asks for more: the commands report for themselves.
  const logger = pino({ level: process.env.LOG_LEVEL ? config.LOG_LEVEL : 'error' }, pino.destination(2));
  const startup = {};
  const ctx = await createContext(config, logger, startup);
  logger.debug({ startup }, 'cli: services open');
  try {
    return await fn(ctx);
  } finally {
    logger.debug('cli: command done, closing');
    await ctx.close();
    logger.debug('cli: closed');
  }
}

/** A user named by email address or id. */
export async function findUser(ctx: AppContext, emailOrId: string): Promise<UserWithMfa> {
  const user = fields.isUuid(emailOrId) ? await findUserById(ctx.db, emailOrId.toLowerCase()) : await findUserByEmail(ctx.db, emailOrId);
  if (!user) throw new CliError(`No user ${emailOrId}.`);
  return user;
}

/**
 * A password from standard input: typed without echo when it is a terminal (asked twice), else the
 * first line piped in. Never from an argument, where it would end up in shell history and `ps`.
 */
export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new CliError('Pipe the password on standard input (one line).');
  }
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Repeat the password: ');
  if (first !== second) throw new CliError('The passwords do not match.');
  return first;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput;
    (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput = (s: string) => {
      // Show the prompt, hide what is typed.
      if (s.startsWith(question)) write.call(rl, question);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** One line on stderr and exit code 1 for expected failures; a stack trace only for real bugs. */
export function reportError(error: unknown): void {
  if (error instanceof ApiError) {
    const detail = error.details?.map((d) => d.message).join(' ');
    console.error(`error: ${error.code}: ${error.message}${detail && detail !== error.message ? ` ${detail}` : ''}`);
  } else if (error instanceof CliError || error instanceof DataDirLockedError || (error instanceof Error && error.name === 'ConfigError')) {
    console.error(`error: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
