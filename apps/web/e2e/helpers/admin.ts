// The admin console's one menu per account (app/admin/users/actions.tsx), for the e2e tests.
import type { Locator, Page } from 'playwright-core';

/** Opens the account's "Actions" menu within `scope` (a row, or the user page). */
export async function openActions(scope: Locator | Page, email: string): Promise<void> {
  const button = scope.getByRole('button', { name: `Actions for ${email}` });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
}

/** Picks one action (its label, e.g. 'Lock account') from the account's menu. */
export async function pickAction(scope: Locator | Page, email: string, action: string): Promise<void> {
  await openActions(scope, email);
  await scope.getByRole('button', { name: action, exact: true }).click();
}

/** The labels the account's menu offers now (it is opened, read, and closed again). */
export async function offeredActions(scope: Locator | Page, email: string): Promise<string[]> {
  await openActions(scope, email);
  const button = scope.getByRole('button', { name: `Actions for ${email}` });
  const list = scope.locator(`#${await button.getAttribute('aria-controls')}`.replace(/:/g, '\\:'));
  const labels = await list.locator('li').allInnerTexts();
  await button.click();
  return labels.map((l) => l.trim());
}
