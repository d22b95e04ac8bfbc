// Browser helpers for passkeys: each wraps one WebAuthn ceremony (@simplewebauthn/browser) around
// the client's typed calls. Browser only (navigator.credentials); imported as
// '@portcullis/sdk/passkeys' so that Node clients of the SDK never load it.
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { AuthClient, Passkey, PasskeyProof, SignedIn, WebAuthnCredentialJSON } from '#sdk/types';

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

/** Whether this browser offers passkeys in an input's autofill (`autocomplete="username webauthn"`). */
export const conditionalUiSupported = (): Promise<boolean> => browserSupportsWebAuthnAutofill();

/** Re-authenticates (`proof`), lets the browser make a passkey, and stores it under `name`. */
export async function addPasskey(client: AuthClient, { name, ...proof }: PasskeyProof & { name?: string } = {}): Promise<Passkey> {
  const options = await client.passkeyRegistrationOptions(proof);
  const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  return client.registerPasskey({ response: response as unknown as WebAuthnCredentialJSON, ...(name !== undefined && { name }) });
}

/**
 * Signs in with a discoverable passkey. `conditional: true` waits for the person to pick a passkey
 * from the autofill of an input with `autocomplete="username webauthn"` (it resolves only then);
 * call `cancelPasskeyCeremony()` before starting another ceremony.
 */
export async function signInWithPasskey(client: AuthClient, { conditional = false }: { conditional?: boolean } = {}): Promise<SignedIn> {
  const { options, attemptId } = await client.passkeySignInOptions();
  const response = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON, useBrowserAutofill: conditional });
  return client.signInWithPasskeyResponse({ attemptId, response: response as unknown as WebAuthnCredentialJSON });
}

/** A passkey as the second factor of a login that answered `{ mfaRequired: true, passkey: true }`. */
export async function passkeySecondFactor(client: AuthClient, mfaToken: string): Promise<SignedIn> {
  const options = await client.passkeyMfaOptions(mfaToken);
  const response = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
  return client.loginMfaPasskey({ mfaToken, response: response as unknown as WebAuthnCredentialJSON });
}

/** Ends a waiting ceremony (a conditional one before a button's, or on leaving the page). */
export const cancelPasskeyCeremony = (): void => WebAuthnAbortService.cancelCeremony();
