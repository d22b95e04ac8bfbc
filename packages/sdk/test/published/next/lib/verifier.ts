// The API's access-token verifier, made on first use: the API's address is known at run time,
// not while `next build` collects the routes.
import { createVerifier, type Verifier } from '@portcullis/sdk/server';

let verifier: Verifier | undefined;

export function getVerifier(): Verifier {
  verifier ??= createVerifier({
    issuer: process.env.JWT_ISSUER ?? '',
    audience: process.env.JWT_AUDIENCE ?? '',
    jwksUrl: `${process.env.PORTCULLIS_API_URL ?? ''}/.well-known/jwks.json`,
  });
  return verifier;
}
