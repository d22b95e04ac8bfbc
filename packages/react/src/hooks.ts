'use client';
import type { User } from '@portcullis/sdk';
import { useContext } from 'react';
import { SessionContext, type SessionValue } from './AuthProvider';

/** The session state, the SDK client and sign-out; throws outside <AuthProvider>. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() and useUser() must be used inside <AuthProvider>');
  return value;
}

export interface UserValue {
  isLoaded: boolean;
  isSignedIn: boolean;
  user: User | null;
}

/** The signed-in user (null when signed out or still loading). */
export function useUser(): UserValue {
  const { isLoaded, isSignedIn, user } = useSession();
  return { isLoaded, isSignedIn, user };
}
