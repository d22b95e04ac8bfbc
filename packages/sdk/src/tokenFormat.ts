// The one spelling of a compact JWS (Node: uses Buffer).
//
// Base64url decoders are lenient: they skip padding and foreign characters, and ignore the
// unused low bits of a segment's last character. So `abc=`, `ab+c` and a last character with a
// flipped unused bit all decode to the same bytes as the canonical segment, and a signature check
// over the decoded bytes cannot tell them apart. Such a token is not what the issuer produced
// (RFC 7515 §2 and §7.1: unpadded base64url), and accepting it lets one token exist under many
// spellings: a cache, a deny list or a log keyed by the token string then misses the variants.
// Both the API and the SDK's verifier refuse them before verifying anything.

/**
 * True when `segment` is canonical unpadded base64url: decoding it and encoding the bytes again
 * gives back exactly the same string (so no `=`, no `+`/`/` or other characters, no length that
 * cannot occur, and zero unused bits in the last character).
 */
export function isCanonicalBase64url(segment: string): boolean {
  return segment.length > 0 && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

/** True when `token` is exactly three dot-separated segments, each canonical base64url. */
export function isCanonicalCompactJws(token: string): boolean {
  const segments = token.split('.');
  return segments.length === 3 && segments.every(isCanonicalBase64url);
}
