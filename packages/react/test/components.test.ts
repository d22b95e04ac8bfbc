// The components and hooks rendered on the server (react-dom/server): what each session state
// shows. No client on the server: the state comes from `initialUser`, as from getSession().
import type { User } from '@portcullis/sdk';
import { createElement as h, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AuthProvider, Protect, SignedIn, SignedOut, useSession, useUser } from '../src/index';

const user = (role: User['role']): User => ({
  id: 'u1',
  email: 'a@example.com',
  displayName: 'Ada',
  role,
  emailVerified: true,
  mfaEnabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
});

function Name() {
  const { user: current, isLoaded } = useUser();
  return h('b', null, isLoaded ? (current?.displayName ?? 'nobody') : 'loading');
}

// React separates adjacent text nodes with `<!-- -->`; the assertions are about the text.
const tree = (initialUser: User | null | undefined, children: ReactNode) =>
  renderToString(h(AuthProvider, { initialUser }, children)).replaceAll('<!-- -->', '');

describe('@portcullis/react', () => {
  it('SignedIn and useUser show the user; SignedOut shows nothing', () => {
    const html = tree(user('user'), [h(SignedIn, { key: 1 }, h(Name)), h(SignedOut, { key: 2 }, 'out')]);
    expect(html).toBe('<b>Ada</b>');
  });

  it('signed out: only SignedOut, and Protect shows its fallback', () => {
    const html = tree(null, [h(SignedIn, { key: 1 }, 'in'), h(SignedOut, { key: 2 }, 'out'), h(Protect, { key: 3, fallback: 'no' }, 'yes')]);
    expect(html).toBe('outno');
  });

  it('Protect follows the role/permission table', () => {
    const gate = (role: User['role']) =>
      tree(user(role), [
        h(Protect, { key: 1, permission: 'write', fallback: '-w' }, '+w'),
        h(Protect, { key: 2, permission: 'manage_users', fallback: '-m' }, '+m'),
      ]);
    expect(gate('user')).toBe('-w-m');
    expect(gate('moderator')).toBe('+w-m');
    expect(gate('admin')).toBe('+w+m');
  });

  it('unknown state (no initialUser, no client): loading, nothing shown either way', () => {
    function Status() {
      return h('i', null, useSession().status);
    }
    expect(
      tree(undefined, [h(SignedIn, { key: 1 }, 'in'), h(SignedOut, { key: 2 }, 'out'), h(Protect, { key: 3, fallback: 'no' }, 'yes'), h(Status, { key: 4 })]),
    ).toBe('<i>loading</i>');
  });

  it('useSession outside AuthProvider says so', () => {
    expect(() => renderToString(h(Name))).toThrow(/inside <AuthProvider>/);
  });
});
