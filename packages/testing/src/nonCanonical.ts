// Other spellings of one base64url segment that lenient decoders read as the same bytes.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The segment with the lowest unused bit of its last character set, or undefined when the
 * segment's length leaves no unused bits (a multiple of 3 bytes). Length 2 mod 4 leaves 4 unused
 * bits, length 3 mod 4 leaves 2.
 */
export function withUnusedBitSet(segment: string): string | undefined {
  if (segment.length % 4 < 2) return undefined;
  const last = ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + ALPHABET[last | 1];
}

/** Padded, standard-alphabet and unused-bit variants of a canonical segment (each decodes to the same bytes). */
export function nonCanonicalSpellings(segment: string): string[] {
  const spellings = [`${segment}=`, `${segment}==`];
  const flipped = withUnusedBitSet(segment);
  if (flipped && flipped !== segment) spellings.push(flipped);
  const standard = segment.replace(/-/g, '+').replace(/_/g, '/');
  if (standard !== segment) spellings.push(standard);
  return spellings;
}
