// Sessions in the browser with 5-second access tokens: quiet refresh, two tabs, revocation.
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { countRequests, loginViaForm, newContext, registerViaForm, screenshot, openFromAccountMenu } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

/** Every /api answer of a page that was an error (the UI must never have had to deal with one). */
function apiFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith('/api/') && response.status() >= 400) failures.push(`${response.status()} ${pathname}`);
  });
  return failures;
}

/**
 * page.goto, once more if the page's own navigation interrupted it: a page whose quiet refresh is
 * refused goes to /login by itself, and when that starts just as the test's navigation does,
 * Playwright reports the test's as interrupted (a full run at load 10-14 met exactly that).
 */
async function gotoOrAfterOwnNavigation(page: Page, path: string): Promise<void> {
  try {
    await page.goto(path);
  } catch (error) {
    if (!String(error).includes('interrupted by another navigation')) throw error;
    await page.waitForLoadState();
    await page.goto(path);
  }
}

const test = stackTest({ JWT_ACCESS_TTL: '5s', RATE_LIMITS: 'off' });

describe('web: sessions with a 5 s access-token lifetime', () => {
  test.beforeAll(startStackAndBrowser);

  test('stays signed in for 15 s of clicking around, refreshing quietly before each token expires', async ({ context, page }) => {
    await registerViaForm(page, { displayName: 'Patient Pat' });
    await expect.poll(() => page.getByTestId('session-count').textContent()).toBe('1 active session');

    const refreshes = countRequests(context, '/api/auth/refresh');
    const failures = apiFailures(page);
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
    });

    const started = Date.now();
    let round = 0;
    while (Date.now() - started < 15_000) {
      round += 1;
      if (round % 2 === 1) {
        await openFromAccountMenu(page, 'Security');
        await page.waitForURL('**/settings/security');
        await expect.poll(() => page.getByTestId('session-row').count()).toBe(1);
        await page.getByTestId('reload-sessions').click();
      } else {
        await page.getByRole('link', { name: 'Dashboard' }).click();
        await page.waitForURL('**/dashboard');
        await expect.poll(() => page.getByTestId('session-count').textContent()).toBe('1 active session');
        await page.getByTestId('refresh-sessions').click();
      }
      await page.waitForTimeout(1_200);
      expect(await page.locator('form [role=alert], [data-testid=session-count-error]').filter({ hasText: /\S/ }).count()).toBe(0);
    }

    console.log(`15 s with 5 s tokens: ${round} rounds of clicks, ${refreshes.calls} refresh calls (${refreshes.statuses.join(', ')})`);
    expect(visited.filter((p) => p === '/login')).toEqual([]);
    expect(failures).toEqual([]);
    // About one refresh per 2.5 s (half the lifetime): enough to never expire, never a storm.
    expect(refreshes.calls).toBeGreaterThanOrEqual(4);
    expect(refreshes.calls).toBeLessThanOrEqual(10);
    expect(refreshes.statuses.every((s) => s === 200)).toBe(true);
    await screenshot(page, 'security-after-15s');
  });

  test('keeps two tabs signed in when both refresh at the same moment', async ({ stack, context }) => {
    const first = await context.newPage();
    await registerViaForm(first, { displayName: 'Two Tabs' });
    const second = await context.newPage();
    await second.goto('/dashboard');
    const refreshes = countRequests(context, '/api/auth/refresh');
    const failures = [...[first, second].map(apiFailures)];

    // Both pages load at once, so both restore their token (a refresh) at the same moment...
    await Promise.all([first.reload(), second.reload()]);
    // ...and then both proactive timers fire close together, twice.
    await first.waitForTimeout(6_000);
    for (const page of [first, second]) {
      await page.getByTestId('refresh-sessions').click();
      await expect.poll(() => page.getByTestId('session-count').textContent()).toBe('1 active session');
      expect(new URL(page.url()).pathname).toBe('/dashboard');
    }
    console.log(`two tabs: ${refreshes.calls} refresh calls (${refreshes.statuses.join(', ')})`);
    expect(refreshes.calls).toBeGreaterThanOrEqual(2);
    expect(refreshes.statuses.every((s) => s === 200)).toBe(true);
    expect(failures.flat()).toEqual([]);
    const live = await stack.api.query<{ n: number }>('select count(*)::int as n from sessions where revoked_at is null');
    expect(live[0]!.n).toBeGreaterThanOrEqual(1);
  });

  test('signs a context out on its next request after another context revokes its session', async ({ stack, browser }) => {
    const victim = await newContext(browser, stack.webUrl);
    const victimPage = await victim.newPage();
    const account = await registerViaForm(victimPage, { displayName: 'Revoked Rita' });

    const other = await newContext(browser, stack.webUrl);
    const otherPage = await other.newPage();
    await loginViaForm(otherPage, account);
    await otherPage.waitForURL('**/dashboard');
    await otherPage.goto('/settings/security');
    await expect.poll(() => otherPage.getByTestId('session-row').count()).toBe(2);
    await screenshot(otherPage, 'security-two-sessions');
    await otherPage
      .locator('[data-testid=session-row]:not([data-current])')
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await expect.poll(() => otherPage.getByTestId('session-row').count()).toBe(1);
    expect(await otherPage.getByRole('status').filter({ hasText: 'Signed out' }).count()).toBe(1);

    // The victim's next request finds the session gone: a click that calls the API, or (5 s
    // tokens) its own refresh timer, whichever comes first. Either way it ends at sign-in.
    if (new URL(victimPage.url()).pathname === '/dashboard') {
      await victimPage
        .getByTestId('refresh-sessions')
        .click({ timeout: 2_000 })
        .catch(() => undefined);
    }
    await victimPage.waitForURL((url) => url.pathname === '/login');
    expect(new URL(victimPage.url()).searchParams.get('redirect')).toBe('/dashboard');
    // And the server agrees: the dashboard is closed to it.
    const again = await victimPage.request.get('/dashboard', { maxRedirects: 0 });
    expect(again.status()).toBe(307);

    // The context that revoked is untouched.
    await otherPage.getByTestId('reload-sessions').click();
    await expect.poll(() => otherPage.getByTestId('session-row').count()).toBe(1);
    await victim.close();
    await other.close();
  });

  test('signs out everywhere: this context to /login, the other on its next request', async ({ stack, browser }) => {
    const a = await newContext(browser, stack.webUrl);
    const pageA = await a.newPage();
    const account = await registerViaForm(pageA, { displayName: 'Everywhere Eve' });
    const b = await newContext(browser, stack.webUrl);
    const pageB = await b.newPage();
    await loginViaForm(pageB, account);
    await pageB.waitForURL('**/dashboard');

    await pageA.goto('/settings/security');
    await pageA.getByRole('button', { name: 'Sign out everywhere' }).click();
    await pageA.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await pageA.waitForURL((url) => url.pathname === '/login');

    // B's next request is refused. (With 5 s tokens, B's own refresh may get there first and take
    // it to /login by itself; the navigation below then lands on /login either way.)
    await gotoOrAfterOwnNavigation(pageB, '/settings/security');
    expect(new URL(pageB.url()).pathname).toBe('/login');
    expect(new URL(pageB.url()).searchParams.get('redirect')).toBe('/settings/security');
    await expect.poll(() => pageB.getByTestId('header-user-name').count()).toBe(0);
    await expect.poll(() => pageB.getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    await a.close();
    await b.close();
  });
});
