// Chromium through playwright-core (Debian's /usr/bin/chromium; never `playwright install`),
// plus the small page helpers the e2e tests share.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { settle } from './settle.js';

export { settle, STRONG_PASSWORD, uniqueEmail };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** Screenshots land here (git-ignored): look at them after a run. */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'web');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser profile (own cookies, storage) pointed at the web app. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header belongs at the top
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Registers through the real form and waits for the dashboard. */
export async function registerViaForm(
  page: Page,
  input: { displayName: string; email?: string; password?: string },
): Promise<{ email: string; password: string }> {
  const email = input.email ?? uniqueEmail('web');
  const password = input.password ?? STRONG_PASSWORD;
  await page.goto('/register');
  await page.getByLabel('Name').fill(input.displayName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/dashboard');
  await settle(page);
  return { email, password };
}

/** Signs in through the real form; `redirect` is appended raw to /login. */
export async function loginViaForm(page: Page, credentials: { email: string; password: string }, redirect?: string): Promise<void> {
  await page.goto(redirect === undefined ? '/login' : `/login?redirect=${redirect}`);
  // Exact labels: a signed-in page's banner ("Email verification") must not pass for the form.
  await page.getByLabel('Email', { exact: true }).fill(credentials.email);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Counts the browser's calls to one API path (e.g. `/api/auth/refresh`) and their statuses. */
export function countRequests(context: BrowserContext, apiPath: string): { calls: number; statuses: number[] } {
  const counter = { calls: 0, statuses: [] as number[] };
  context.on('response', (response) => {
    if (new URL(response.url()).pathname === apiPath) {
      counter.calls += 1;
      counter.statuses.push(response.status());
    }
  });
  return counter;
}

/** Opens the header's account menu (profile, security, admin, sign out). */
export async function openAccountMenu(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: /^Account menu for / });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

/** Follows one of the account menu's links ('Profile', 'Security', 'Admin'). */
export async function openFromAccountMenu(page: Page, name: 'Profile' | 'Security' | 'Admin'): Promise<void> {
  await openAccountMenu(page);
  await page.locator('header').getByRole('link', { name, exact: true }).last().click();
}

/** Signs out through the account menu. */
export async function signOutViaMenu(page: Page): Promise<void> {
  await openAccountMenu(page);
  await page.locator('header').getByRole('button', { name: 'Sign out', exact: true }).click();
}
