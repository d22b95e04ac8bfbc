'use client';
// Show or hide parts of a page by session state and permission. Display decisions only: the API
// enforces every permission itself, so hiding a button is never the protection.
import { hasPermission, type Permission } from '@portcullis/sdk';
import type { ReactNode } from 'react';
import { useSession } from './hooks';

/** Children only when signed in (nothing while the session is loading). */
export function SignedIn({ children }: { children?: ReactNode }) {
  return useSession().status === 'signed-in' ? <>{children}</> : null;
}

/** Children only when signed out (nothing while the session is loading). */
export function SignedOut({ children }: { children?: ReactNode }) {
  return useSession().status === 'signed-out' ? <>{children}</> : null;
}

export interface ProtectProps {
  /** The user's role must hold this permission (the contract's role/permission table). Omitted: any signed-in user. */
  permission?: Permission;
  /** Shown instead when signed out or not permitted (not while loading). */
  fallback?: ReactNode;
  children?: ReactNode;
}

/** Children only for a signed-in user whose role holds `permission`; otherwise `fallback`. */
export function Protect({ permission, fallback = null, children }: ProtectProps) {
  const { status, user } = useSession();
  if (status === 'loading') return null;
  const allowed = user !== null && (permission === undefined || hasPermission(user.role, permission));
  return <>{allowed ? children : fallback}</>;
}
