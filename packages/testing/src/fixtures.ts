// Vitest fixtures for files that share one API server: `apiTest(env)` instead of the same
// beforeAll/afterAll pair in every file.
/* eslint-disable no-empty-pattern -- Vitest reads what a fixture needs from its first parameter's destructuring; this needs nothing. */
import { test as base } from 'vitest';
import { startServer, type TestServer } from './server.js';
import { startMailbox } from './smtp.js';

/**
 * `test` with `server`: a real API server (server.ts) with `env` on a fresh database, file-scoped:
 * started once, by the first hook or test that names it, and closed after the file's last test.
 */
export function apiTest(env: Record<string, string> = {}) {
  return base.extend('server', { scope: 'file' }, async ({}, { onCleanup }) => {
    const server = await startServer(env);
    onCleanup(() => server.close());
    return server;
  });
}

/**
 * `test` with `mailbox`, a real SMTP server (smtp.ts), and `server`, an API server sending its mail
 * there (SMTP_URL) with `env`: both file-scoped, the server closed before the mailbox.
 */
export function mailApiTest(env: Record<string, string> = {}) {
  return base
    .extend('mailbox', { scope: 'file' }, async ({}, { onCleanup }) => {
      const mailbox = await startMailbox();
      onCleanup(() => mailbox.close());
      return mailbox;
    })
    .extend('server', { scope: 'file' }, async ({ mailbox }, { onCleanup }) => {
      const server = await startServer({ SMTP_URL: mailbox.url, ...env });
      onCleanup(() => server.close());
      return server;
    });
}

/**
 * For `test.beforeAll(startApi)`: a file-scoped fixture first named by a test is set up inside
 * that test's timeout (60 s), but a fresh embedded database can take minutes on a busy machine;
 * set up by a beforeAll hook, it gets the hook timeout (300 s) instead. Vitest reads the fixtures
 * a hook needs from its parameter's destructuring.
 */
export async function startApi({ server }: { server: TestServer }): Promise<void> {
  void server;
}
