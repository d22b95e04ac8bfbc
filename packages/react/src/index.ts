// @portcullis/react: React bindings for the Portcullis SDK's browser client.
export { AuthProvider } from './AuthProvider';
export type { AuthProviderProps, SessionStatus, SessionValue } from './AuthProvider';
export { useSession, useUser } from './hooks';
export type { UserValue } from './hooks';
export { Protect, SignedIn, SignedOut } from './components';
export type { ProtectProps } from './components';
