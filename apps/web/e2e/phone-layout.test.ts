// Phone-sized viewports: no page scrolls sideways at 390 px (a common phone) or 320 px (the
// narrowest still in use), signed out, signed in as a user and as an admin. Long names and
// addresses are the usual culprits, so the accounts here have long ones.
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { loginViaForm, registerViaForm, screenshot, settle } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const ADMIN = { email: 'phone.layout.administrator.with.a.long.address@example.com', password: 'Web-Admin-Pass-1!' };

const test = stackTest({ RATE_LIMITS: 'off', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });

const WIDTHS = [390, 360, 320];
const PUBLIC_PAGES = ['/', '/login', '/register', '/forgot-password'];
const SIGNED_IN_PAGES = [
  '/dashboard',
  '/settings/security',
  '/settings/profile',
  '/settings/api-keys',
  '/orgs',
  '/projects',
  '/dev/inbox',
  '/admin/users',
  '/admin/audit',
];

interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** The outermost elements that reach past the right edge, for the failure message. */
  culprits: string[];
}

/** How far the page reaches past the viewport, and which elements do it. */
function measure(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= width + 0.5) continue;
      // Report an element once, not every descendant that sticks out with it.
      const parent = el.parentElement?.getBoundingClientRect();
      if (parent && parent.right > width + 0.5 && el.parentElement !== document.body) continue;
      const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
      culprits.push(`${name} (right ${Math.round(rect.right)})`);
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits: culprits.slice(0, 10) };
  });
}

/** Opens each path at each width and collects the ones that scroll sideways. */
async function overflowing(page: Page, paths: string[], who: string): Promise<string[]> {
  const problems: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 844 });
    for (const path of paths) {
      await page.goto(path);
      await settle(page);
      await page.locator('main').first().waitFor();
      const result = await measure(page);
      if (result.scrollWidth > result.clientWidth) {
        problems.push(`${who} ${path} @${width}: scrollWidth ${result.scrollWidth} > ${result.clientWidth}; ${result.culprits.join(', ')}`);
      }
      await screenshot(page, `phone-${width}-${who}${path === '/' ? '-home' : path.replaceAll('/', '-')}`);
    }
  }
  return problems;
}

describe('web: phone-sized viewports do not scroll sideways', () => {
  test.beforeAll(startStackAndBrowser);

  test('signed out', async ({ page }) => {
    expect(await overflowing(page, PUBLIC_PAGES, 'guest')).toEqual([]);
  });

  test('signed in as a user with a long name (the admin pages answer 403)', async ({ page }) => {
    await registerViaForm(page, {
      displayName: 'Maximiliane Wilhelmina Featherstonehaugh-Cholmondeley',
      email: `phone.layout.user.${Date.now()}.with-a-rather-long-address@example.com`,
    });
    expect(await overflowing(page, SIGNED_IN_PAGES, 'user')).toEqual([]);
  });

  test('signed in as an admin with a long address', async ({ page }) => {
    await loginViaForm(page, ADMIN);
    await page.waitForURL('**/dashboard');
    expect(await overflowing(page, SIGNED_IN_PAGES, 'admin')).toEqual([]);
  });
});
