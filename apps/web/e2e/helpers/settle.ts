// Waiting for a page to be done with its own work, so that what a test does next (sign out on
// another device, clear cookies, change the password) does not race the page.
import type { Page, Request } from 'playwright-core';

/** How long a page may take to go quiet before the test fails saying so. */
const SETTLE_TIMEOUT_MS = 60_000;
/** Rounds in a row with the main thread idle and nothing in flight. */
const QUIET_ROUNDS = 2;

const inFlight = new WeakMap<Page, Set<Request>>();

/**
 * Waits until the page's own requests are done, in particular the silent refresh every signed-in
 * page load makes: its answer sets cookies (or, refused, clears them), so a test that ends the
 * session before it lands would have the page clear the cookie it is about to look at.
 *
 * 'networkidle' alone is not enough: it is 500 ms without traffic, and on a busy machine the page
 * can still be running its scripts then, before the hydrated page makes that first call (CI saw
 * exactly this). So after it, the page must be idle (requestIdleCallback: no script waiting to
 * run) with none of its requests in flight, twice in a row. No request can be missed: nothing was
 * in flight at 'networkidle', and the listeners are on from then.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  const pending = requestsOf(page);
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (let quiet = 0; quiet < QUIET_ROUNDS;) {
    if (Date.now() > deadline) {
      const urls = [...pending].map((request) => request.url()).join(', ');
      throw new Error(`settle: the page was not quiet after ${SETTLE_TIMEOUT_MS} ms (in flight: ${urls || 'nothing'})`);
    }
    const idle = await mainThreadIdle(page);
    if (idle && pending.size === 0) quiet += 1;
    else quiet = 0;
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function requestsOf(page: Page): Set<Request> {
  let pending = inFlight.get(page);
  if (!pending) {
    const requests = new Set<Request>();
    page.on('request', (request) => requests.add(request));
    page.on('requestfinished', (request) => requests.delete(request));
    page.on('requestfailed', (request) => requests.delete(request));
    inFlight.set(page, (pending = requests));
  }
  return pending;
}

/** False when the page navigated meanwhile (its scripts start over): the caller waits again. */
async function mainThreadIdle(page: Page): Promise<boolean> {
  try {
    await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 2_000 })));
    return true;
  } catch {
    await page.waitForLoadState('load').catch(() => undefined);
    return false;
  }
}
