// Organizations in the browser (issue 16): create → invite → accept in a second browser (signing
// up from the link) → switch → a shared project → remove the member.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { uniqueEmail } from '@portcullis/testing/http';
import { newContext, registerViaForm, screenshot, settle } from './helpers/browser.js';
import { stackTest, startStackAndBrowser } from './helpers/fixtures.js';

const test = stackTest({ RATE_LIMITS: 'off' }).extend('freshPage', async ({ browser, stack }, { onCleanup }) => {
  const contexts: BrowserContext[] = [];
  onCleanup(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
  });
  return async (): Promise<Page> => {
    const context = await newContext(browser, stack.webUrl);
    contexts.push(context);
    return context.newPage();
  };
});

/** The newest invitation link mailed to `email`, from the dev outbox (waiting for it). */
async function invitationLink(webUrl: string, email: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const { messages } = (await (await fetch(`${webUrl}/api/dev/outbox`)).json()) as { messages: { to: string; text: string }[] };
        link = messages.find((m) => m.to === email)?.text.match(/https?:\/\/\S+\/orgs\/invitations\/accept\?token=[A-Za-z0-9_-]+/)?.[0];
        return link !== undefined;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  return link!;
}

describe('web: organizations', () => {
  test.beforeAll(startStackAndBrowser);

  test('two people share an organization and its projects; removal ends access', async ({ stack, freshPage }) => {
    // Alice creates the organization.
    const alice = await freshPage();
    await registerViaForm(alice, { displayName: 'Alice Owner' });
    await alice.goto('/orgs');
    await alice.getByLabel('Name').fill('Rocket Team');
    await alice.getByLabel('Slug').fill(`rocket-${Date.now().toString(36)}`);
    await alice.getByRole('button', { name: 'Create organization' }).click();
    await alice.waitForURL(/\/orgs\/[0-9a-f-]{36}$/);
    const orgPath = new URL(alice.url()).pathname;
    await expect.poll(() => alice.getByTestId('org-name').textContent()).toBe('Rocket Team');

    // Invites Bob, who has no account yet.
    const bobEmail = uniqueEmail('bob');
    await alice.getByLabel('Email to invite').fill(bobEmail);
    await alice.getByRole('button', { name: 'Send invitation' }).click();
    await expect.poll(() => alice.getByTestId('invitation-row').count()).toBe(1);
    const link = await invitationLink(stack.webUrl, bobEmail);

    // Bob opens the link in another browser, signs up from it and accepts.
    const bob = await freshPage();
    await bob.goto(link.replace(/^https?:\/\/[^/]+/, ''));
    await expect.poll(() => bob.getByTestId('invitation-summary').textContent()).toContain('Rocket Team');
    await bob.getByRole('link', { name: 'create an account' }).click();
    await bob.waitForURL('**/register?**');
    await bob.getByLabel('Name').fill('Bob Member');
    await bob.getByLabel('Email').fill(bobEmail);
    await bob.getByLabel('Password', { exact: true }).fill('Correct-Horse-9');
    await bob.getByRole('button', { name: 'Create account' }).click();
    await bob.waitForURL('**/orgs/invitations/accept?**');
    await bob.getByRole('button', { name: 'Accept invitation' }).click();
    await bob.waitForURL(`**${orgPath}`);
    await settle(bob);

    // Bob switches to it in the header; the choice travels with his session (kept across a reload).
    const orgId = orgPath.split('/').at(-1)!;
    await bob.getByTestId('org-switcher').selectOption(orgId);
    await expect.poll(() => bob.getByTestId('org-switcher').inputValue()).toBe(orgId);
    await bob.reload();
    await settle(bob);
    await expect.poll(() => bob.getByTestId('org-switcher').inputValue()).toBe(orgId);

    // A project Alice creates there is Bob's to see.
    await alice.reload();
    await alice.getByLabel('Project name').fill('Shared Plan');
    await alice.getByRole('button', { name: 'Create shared project' }).click();
    await expect.poll(() => alice.getByTestId('org-project-row').count()).toBe(1);
    await bob.reload();
    await expect.poll(() => bob.getByTestId('org-project-row').first().textContent()).toContain('Shared Plan');
    await screenshot(bob, 'org-shared-project');

    // Alice removes Bob: his next load of the organization is refused.
    await alice.reload();
    await alice.getByRole('button', { name: `Remove ${bobEmail}` }).click();
    await expect.poll(() => alice.getByTestId('member-row').count()).toBe(1);
    await bob.reload();
    await expect.poll(() => bob.getByText('No such organization.').count()).toBeGreaterThan(0);
    expect(await bob.getByTestId('org-project-row').count()).toBe(0);
  });
});
