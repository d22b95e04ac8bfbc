import { describe, expect, it } from 'vitest';
import { loginUrlFor, safeRedirect } from '../lib/redirect.js';

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

describe('loginUrlFor', () => {
  it('encodes the way back', () => {
    expect(loginUrlFor('/settings/security?tab=1')).toBe('/login?redirect=%2Fsettings%2Fsecurity%3Ftab%3D1');
  });
  it('drops targets that are not worth returning to', () => {
    expect(loginUrlFor('/')).toBe('/login');
    expect(loginUrlFor('/login?redirect=%2Fdashboard')).toBe('/login');
    expect(loginUrlFor('//evil.example')).toBe('/login');
  });
});
