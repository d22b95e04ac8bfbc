import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loginUrlFor, safeRedirect } from '../lib/redirect.js';

const ORIGIN = 'https://app.example';

describe('safeRedirect: only same-origin relative paths survive', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/settings/security', '/settings/security'],
    ['/projects/42?tab=members#top', '/projects/42?tab=members#top'],
    ['/search?q=%2F%2Fnot-a-host', '/search?q=%2F%2Fnot-a-host'],
    ['/', '/'],
  ])('keeps %s', (target, expected) => {
    expect(safeRedirect(target)).toBe(expected);
  });

  it.each([
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with path', '//evil.example/dashboard'],
    ['backslash', '/\\evil.example'],
    ['backslashes', '\\\\evil.example'],
    ['backslash later', '/foo\\..\\\\evil.example'],
    ['absolute https', 'https://evil.example/dashboard'],
    ['absolute http', 'http://evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: mixed case', 'JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['relative without slash', 'dashboard'],
    ['encoded slashes', '%2F%2Fevil.example'],
    ['encoded second slash', '/%2Fevil.example'],
    ['encoded backslash', '/%5Cevil.example'],
    ['double-encoded slash', '/%252Fevil.example'],
    ['encoded scheme', '%6A%61%76%61script:alert(1)'],
    ['tab inside', '/\t/evil.example'],
    ['newline inside', '/\n/evil.example'],
    ['leading space', ' /dashboard'],
    ['NUL', '/\u0000/evil.example'],
    ['malformed escape', '/%E0%A4%A'],
    ['empty', ''],
    ['too long', `/${'a'.repeat(3000)}`],
    // Dot segments that normalise into a protocol-relative path (each one left this site before).
    ['dot then double slash', '/.//evil.example'],
    ['dot-dot then double slash', '/..//evil.example'],
    ['segment, dot-dot, double slash', '/x/..//evil.example'],
    ['encoded dot', '/%2e//evil.example'],
    ['encoded dot upper case', '/%2E//evil.example'],
    ['encoded dot-dot', '/%2e%2e//evil.example'],
    ['dot-dot past the root', '/x/../..//evil.example'],
    ['dot then triple slash', '/.///evil.example'],
    ['dot segment with query', '/.//evil.example?x=1#y'],
    ['encoded slashes after dot-dot (decoded next)', '/a/..%2f%2fevil.example'],
    ['double-encoded dot', '/%252e//evil.example'],
    ['dot then backslash', '/./\\evil.example'],
    ['encoded backslash after dot', '/.%5c/evil.example'],
    ['tab in a dot segment', '/.\t//evil.example'],
    ['line separator', '/\u2028/evil.example'],
  ])('refuses %s', (_name, target) => {
    expect(safeRedirect(target)).toBe('/dashboard');
  });

  it('refuses what is not a string, and honours a custom fallback', () => {
    expect(safeRedirect(undefined)).toBe('/dashboard');
    expect(safeRedirect(null)).toBe('/dashboard');
    expect(safeRedirect(['/dashboard'])).toBe('/dashboard');
    expect(safeRedirect('//evil.example', '/')).toBe('/');
  });
});

/** URL-like strings from the pieces open-redirect payloads are made of. */
const URL_PIECES = [
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
  '%252e',
  '%25',
  '%',
  'evil.example',
  'x',
  ':',
  '@',
  '?',
  '#',
  '&',
  '=',
  'http:',
  'https:',
  'javascript:',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '%09',
  '%0a',
  '%00',
  '\u00a0',
  '\u2028',
  '\u3002',
  '\uff0f',
  '\uff3c',
  'é',
];
const urlLike = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...URL_PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) }), { maxLength: 14 })
  .map((parts) => parts.join(''));
/** Starts like a path, so more of the runs get past the first check. */
const pathLike = urlLike.map((rest) => `/${rest}`);

describe('safeRedirect: properties over URL-like strings', () => {
  it('always answers a single-slash path that, resolved on this origin, stays on it', () => {
    fc.assert(
      fc.property(fc.oneof(urlLike, pathLike), (target) => {
        const result = safeRedirect(target);
        expect(result.startsWith('/')).toBe(true);
        expect(result.startsWith('//') || result.includes('\\')).toBe(false);
        const resolved = new URL(result, ORIGIN);
        expect(resolved.origin).toBe(ORIGIN);
        // Resolved from a deeper page too, and stable: resolving it again changes nothing.
        expect(new URL(result, `${ORIGIN}/deep/page?q=1#h`).origin).toBe(ORIGIN);
        expect(resolved.pathname + resolved.search + resolved.hash).toBe(result);
        expect(safeRedirect(result)).toBe(result);
        // Whoever decodes it again still stays here.
        let decoded = result;
        for (let i = 0; i < 3; i++) {
          decoded = decodeURIComponent(decoded);
          expect(new URL(decoded, ORIGIN).origin).toBe(ORIGIN);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps plain paths as they are', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = `/${segments.join('/')}`;
        expect(safeRedirect(path)).toBe(path);
      }),
    );
  });
});

describe('loginUrlFor', () => {
  it('encodes the way back', () => {
    expect(loginUrlFor('/settings/security?tab=1')).toBe('/login?redirect=%2Fsettings%2Fsecurity%3Ftab%3D1');
  });
  it('drops targets that are not worth returning to', () => {
    expect(loginUrlFor('/')).toBe('/login');
    expect(loginUrlFor('/login?redirect=%2Fdashboard')).toBe('/login');
    expect(loginUrlFor('//evil.example')).toBe('/login');
  });
  it('carries why the session ended, with or without a way back', () => {
    expect(loginUrlFor('/dashboard', 'password_changed')).toBe('/login?redirect=%2Fdashboard&reason=password_changed');
    expect(loginUrlFor('/', 'revoked')).toBe('/login?reason=revoked');
  });
});
