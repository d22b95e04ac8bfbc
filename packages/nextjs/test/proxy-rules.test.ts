// Which rule covers a path: a path covers itself and what is below it, never a longer sibling.
import { describe, expect, it } from 'vitest';
import { matchRule, type ProtectRule } from '../src/proxy';

const rules: ProtectRule[] = [
  { path: '/admin', permission: 'manage_users' },
  { path: '/dashboard' },
  { path: /^\/projects\/[^/]+\/edit$/, permission: 'write' },
];

describe('matchRule', () => {
  it('covers the path and below, not a longer sibling', () => {
    expect(matchRule(rules, '/admin')?.permission).toBe('manage_users');
    expect(matchRule(rules, '/admin/users/1')?.permission).toBe('manage_users');
    expect(matchRule(rules, '/administrator')).toBeUndefined();
    expect(matchRule(rules, '/dashboard/x')?.path).toBe('/dashboard');
    expect(matchRule(rules, '/')).toBeUndefined();
  });

  it('tests a RegExp against the pathname', () => {
    expect(matchRule(rules, '/projects/p1/edit')?.permission).toBe('write');
    expect(matchRule(rules, '/projects/p1')).toBeUndefined();
  });
});
