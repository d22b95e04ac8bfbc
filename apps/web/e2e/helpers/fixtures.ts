// Vitest fixtures for the e2e files: one API + web stack and one Chromium per file, and a fresh
// browser profile (context) and page per test that close themselves, even when the test fails.
/* eslint-disable no-empty-pattern -- Vitest reads what a fixture needs from its first parameter's destructuring; these need nothing. */
import type { Browser } from 'playwright-core';
import { test as base } from 'vitest';
import { launchBrowser, newContext } from './browser.js';
import { startStack, type Stack } from './stack.js';

type ApiEnv = Record<string, string>;

/**
 * `test` with `stack` and `browser` (file-scoped: started once, by the first hook or test that
 * names them, and closed after the file's last test) and `context` and `page` (per test).
 * `apiEnv` is the API's environment for this file (e.g. `{ JWT_ACCESS_TTL: '5s' }`); a function
 * is called when the stack starts, for values known only then (an OIDC provider's URL).
 */
export function stackTest(apiEnv: ApiEnv | (() => ApiEnv) = {}) {
  return base
    .extend('stack', { scope: 'file' }, async ({}, { onCleanup }) => {
      const stack = await startStack(typeof apiEnv === 'function' ? apiEnv() : apiEnv);
      onCleanup(() => stack.close());
      return stack;
    })
    .extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
      const browser = await launchBrowser();
      onCleanup(() => browser.close());
      return browser;
    })
    .extend('context', async ({ browser, stack }, { onCleanup }) => {
      const context = await newContext(browser, stack.webUrl);
      onCleanup(() => context.close());
      return context;
    })
    .extend('page', async ({ context }) => context.newPage());
}

/**
 * For `test.beforeAll(startStackAndBrowser)`: a file-scoped fixture first named by a test is set
 * up inside that test's timeout (60 s), but a stack on a fresh database can take minutes on a
 * busy machine; set up by a beforeAll hook, it gets the hook timeout (300 s) instead. Vitest reads
 * the fixtures a hook needs from its parameter's destructuring, so both are named here.
 */
export async function startStackAndBrowser({ stack, browser }: { stack: Stack; browser: Browser }): Promise<void> {
  void stack;
  void browser;
}
