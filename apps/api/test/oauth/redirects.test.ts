import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDIRECT, safeRedirectPath } from '../../src/services/oauth/redirects.js';

/**
 * The OAuth `redirect` parameter after normalising: dot segments can turn a path into a
 * protocol-relative one (`/.//evil.example` resolves to `//evil.example`), so the helper must check
 * the resolved form again. Explicit attack strings, then properties over URL-like strings.
 */

const WEB = 'http://localhost:3000';

describe('safeRedirectPath after normalising', () => {
  it.each([
    '/.//evil.example',
    '/..//evil.example',
    '/x/..//evil.example',
    '/%2e//evil.example',
    '/%2E//evil.example',
    '/%2e%2e//evil.example',
    '/x/../..//evil.example',
    '/.///evil.example',
    '/.//evil.example/dashboard?x=1#y',
    '/./\\evil.example',
    '/.\t//evil.example',
    '/\u2028/evil.example',
  ])('refuses %j', (value) => {
    expect(safeRedirectPath(value, WEB)).toBe(DEFAULT_REDIRECT);
  });

  it('still resolves harmless dot segments to the path they name', () => {
    expect(safeRedirectPath('/settings/../projects', WEB)).toBe('/projects');
    expect(safeRedirectPath('/./projects?tab=1#top', WEB)).toBe('/projects?tab=1#top');
  });
});

/** URL-like strings from the pieces open-redirect payloads are made of. */
const PIECES = [
  '/',
  '//',
  '\\',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '%252f',
  '%25',
  '%',
  'evil.example',
  'x',
  ':',
  '@',
  '?',
  '#',
  'http:',
  'https:',
  'javascript:',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '%09',
  '%00',
  '\u00a0',
  '\u2028',
  '\u3002',
  '\uff0f',
  'é',
];
const urlLike = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) }), { maxLength: 14 })
  .map((parts) => parts.join(''));
const pathLike = urlLike.map((rest) => `/${rest}`);

describe('safeRedirectPath: properties over URL-like strings', () => {
  for (const web of [WEB, 'https://app.example/portal/']) {
    const origin = new URL(web).origin;
    it(`always answers a single-slash path that stays on ${web}`, () => {
      fc.assert(
        fc.property(fc.oneof(urlLike, pathLike), (value) => {
          const result = safeRedirectPath(value, web);
          expect(result.startsWith('/')).toBe(true);
          expect(result.startsWith('//') || result.includes('\\')).toBe(false);
          // What the callback does with it: new URL(result, WEB_URL).
          const resolved = new URL(result, web);
          expect(resolved.origin).toBe(origin);
          expect(resolved.pathname + resolved.search + resolved.hash).toBe(result);
          expect(safeRedirectPath(result, web)).toBe(result); // stable: the callback's second check agrees
        }),
        { numRuns: 5_000 },
      );
    });
  }
});
