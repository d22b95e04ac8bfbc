// A software authenticator for API tests: makes the JSON a browser's WebAuthn ceremony returns
// (attestation `none`, ES256 keys from node:crypto, CBOR from @simplewebauthn/server's helpers),
// with knobs to get each detail wrong on purpose: the origin, the RP id, user verification, the
// counter, the challenge. The browser tests use Chromium's own virtual authenticator instead.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

/** What a ceremony may get wrong; by default everything is right. */
export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  /** User verification flag (default true). */
  uv?: boolean;
  /** The challenge signed, instead of the options' one. */
  challenge?: string;
  /** The signature counter to report (default: one more than the last). */
  counter?: number;
  /** Which credential answers (default: the first allowed, else the first made). */
  credentialId?: string;
}

export interface SoftAuthenticator {
  register(options: Record<string, unknown>, overrides?: CeremonyOverrides): Record<string, unknown>;
  authenticate(options: Record<string, unknown>, overrides?: CeremonyOverrides): Record<string, unknown>;
  /** The ids (base64url) of the credentials it holds. */
  credentialIds(): string[];
}

/** `backedUp`: report the credential as synced (BE and BS flags). */
export function softAuthenticator({ origin, rpId, backedUp = false }: { origin: string; rpId: string; backedUp?: boolean }): SoftAuthenticator {
  const credentials: StoredCredential[] = [];

  function flags(uv: boolean, attested: boolean): number {
    return 0x01 | (uv ? 0x04 : 0) | (backedUp ? 0x08 | 0x10 : 0) | (attested ? 0x40 : 0);
  }
  function counterBytes(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  }
  function clientData(type: string, challenge: string, o: CeremonyOverrides) {
    return Buffer.from(JSON.stringify({ type, challenge: o.challenge ?? challenge, origin: o.origin ?? origin, crossOrigin: false }));
  }

  return {
    register(options, o = {}) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const cose = isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x!, 'base64url')],
          [-3, Buffer.from(jwk.y!, 'base64url')],
        ]),
      );
      const id = randomBytes(32);
      const user = options.user as { id: string };
      const credential: StoredCredential = { id, privateKey, userHandle: user.id, counter: o.counter ?? 0 };
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([
        sha256(o.rpId ?? rpId),
        Buffer.from([flags(o.uv ?? true, true)]),
        counterBytes(credential.counter),
        Buffer.alloc(16),
        idLength,
        id,
        Buffer.from(cose),
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', new Uint8Array(authData)],
        ]) as never,
      );
      credentials.push(credential);
      return {
        id: b64url(id),
        rawId: b64url(id),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', options.challenge as string, o)),
          attestationObject: b64url(attestationObject),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },

    authenticate(options, o = {}) {
      const allowed = ((options.allowCredentials as { id: string }[] | undefined) ?? []).map((c) => c.id);
      const wanted = o.credentialId ?? allowed.find((id) => credentials.some((c) => b64url(c.id) === id)) ?? (credentials[0] && b64url(credentials[0].id));
      const credential = credentials.find((c) => b64url(c.id) === wanted);
      if (!credential) throw new Error('softAuthenticator: no such credential');
      credential.counter = o.counter ?? credential.counter + 1;
      const authData = Buffer.concat([sha256(o.rpId ?? rpId), Buffer.from([flags(o.uv ?? true, false)]), counterBytes(credential.counter)]);
      const data = clientData('webauthn.get', options.challenge as string, o);
      const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), credential.privateKey);
      return {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(data),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
          userHandle: credential.userHandle,
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },

    credentialIds: () => credentials.map((c) => b64url(c.id)),
  };
}
