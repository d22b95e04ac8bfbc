import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { createAdmin } from '../../src/services/bootstrap.js';
import { cleanShownText, findHiddenCharacter } from '@portcullis/contract/shownText';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

/**
 * Text others are shown (display names, project names and descriptions) refuses characters that
 * hide or reorder what is shown: "Ada\u202Eexe.pdf" must not reach an admin's user list.
 */

/** Each is invisible or reorders text; all are refused in names and descriptions alike. */
const HIDDEN: [label: string, char: string][] = [
  ['right-to-left override', '\u202E'],
  ['left-to-right embedding', '\u202A'],
  ['first-strong isolate', '\u2068'],
  ['pop directional isolate', '\u2069'],
  ['right-to-left mark', '\u200F'],
  ['left-to-right mark', '\u200E'],
  ['Arabic letter mark', '\u061C'],
  ['zero-width space', '\u200B'],
  ['zero-width non-joiner', '\u200C'],
  ['zero-width joiner', '\u200D'],
  ['word joiner', '\u2060'],
  ['byte order mark', '\uFEFF'],
  ['soft hyphen', '\u00AD'],
  ['tag character', '\u{E0041}'],
  ['bell (C0 control)', '\u0007'],
  ['next line (C1 control)', '\u0085'],
  ['line separator', '\u2028'],
];
const FINE = ['José Ñúñez', 'محمد عبد الله', '李雷', 'Zoë 👍🏽', "O'Brien-Smith", 'Ελένη'];

test.beforeAll(startApi);

function expectRefused(res: { status: number; body: any }, field: string) {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('VALIDATION_FAILED');
  expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
}

describe('display names', () => {
  test('register refuses each hidden character, naming displayName', async ({ server }) => {
    for (const [label, char] of HIDDEN) {
      const res = await request(server.url, 'POST', '/api/auth/register', {
        body: { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: `Ada${char}gnp.exe` },
      });
      expect.soft(res.status, label).toBe(400);
      if (res.status === 400) expectRefused(res, 'displayName');
    }
  });

  test('PATCH /api/auth/me refuses them too and leaves the name as it was', async ({ server }) => {
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    for (const [label, char] of HIDDEN) {
      const res = await request(server.url, 'PATCH', '/api/auth/me', { body: { displayName: `Ad${char}min` }, headers: bearer(alice.accessToken) });
      expect.soft(res.status, label).toBe(400);
      if (res.status === 400) expectRefused(res, 'displayName');
    }
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) })).body.user.displayName).toBe('Alice');
  });

  test('names in any script, with accents and emoji, are accepted unchanged', async ({ server }) => {
    for (const displayName of FINE) {
      const user = await registerUser(server.url, { displayName });
      expect(user.user.displayName).toBe(displayName);
    }
  });

  test('the CLI and bootstrap admin follow the same rule', async ({ server }) => {
    const error = await createAdmin(server.ctx, { email: uniqueEmail('ops'), password: STRONG_PASSWORD, displayName: 'Ops\u202E' }, { via: 'cli' }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(error.message).toContain('U+202E');
  });
});

describe('project names and descriptions', () => {
  test('refuse hidden characters, naming the field; descriptions keep line breaks and tabs', async ({ server }) => {
    const bob = await registerUser(server.url);
    const auth = { headers: bearer(bob.accessToken) };
    for (const [label, char] of HIDDEN) {
      const named = await request(server.url, 'POST', '/api/projects', { body: { name: `Apol${char}lo` }, ...auth });
      expect.soft(named.status, `name: ${label}`).toBe(400);
      if (named.status === 400) expectRefused(named, 'name');
      const described = await request(server.url, 'POST', '/api/projects', { body: { name: 'Apollo', description: `To the moon${char}.` }, ...auth });
      expect.soft(described.status, `description: ${label}`).toBe(400);
      if (described.status === 400) expectRefused(described, 'description');
    }
    const prose = await request(server.url, 'POST', '/api/projects', { body: { name: 'Apollo 🚀', description: 'Line one.\r\nLine two.\tTabbed.' }, ...auth });
    expect(prose.status).toBe(201);
    const created = prose.body.project;
    const patched = await request(server.url, 'PATCH', `/api/projects/${created.id}`, { body: { description: 'ok\u202Ereversed' }, ...auth });
    expectRefused(patched, 'description');
  });
});

// Any code point (lone surrogates included), with the refused ones and their neighbours more often.
const anyCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }).map((n) => String.fromCodePoint(n)),
  fc.constantFrom(...HIDDEN.map(([, char]) => char), '\uD800', '\uDC00', ' ', '\n', 'a', '👍'),
);
const anyText = fc.array(anyCharacter, { maxLength: 40 }).map((chars) => chars.join(''));

describe('names from identity providers are cleaned, not refused', () => {
  test('cleanShownText leaves nothing the rule refuses, for any input', () => {
    fc.assert(
      fc.property(anyText, (text) => findHiddenCharacter(cleanShownText(text)) === undefined),
      { numRuns: 300 },
    );
    expect(cleanShownText('  Mallory\u202Egnp.exe\u200B\nSmith ')).toBe('Mallorygnp.exe Smith');
  });
});
