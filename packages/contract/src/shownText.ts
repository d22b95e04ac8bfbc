/**
 * The rule for text people type that other people (or they themselves) are later shown: display
 * names and project names and descriptions. Such text may hold any letter, digit, symbol or
 * emoji, but not characters that are invisible or that change how the text around them reads:
 *
 * - control characters (Unicode category Cc; a multi-line field allows tab and line breaks);
 * - format characters (Cf): bidirectional overrides, embeddings and isolates (U+202A–U+202E,
 *   U+2066–U+2069), direction marks (U+200E, U+200F, U+061C), zero-width characters (U+200B–U+200D,
 *   U+2060, U+FEFF), soft hyphens, tag characters and the rest of the category;
 * - line and paragraph separators (Zl, Zp) in a single-line field, and lone surrogates (Cs).
 *
 * A right-to-left override makes "Ada\u202Efdp.exe" show as "Adaexe.pdf"; zero-width characters
 * make two names that look the same differ (impersonation in an admin's user list, an audit
 * entry, a mail greeting). Input is refused (400 naming the field), never silently changed;
 * names that come from an identity provider are cleaned instead (cleanShownText).
 *
 * The price: emoji written with a zero-width joiner (family, profession and flag sequences) are
 * refused too; their parts alone are fine.
 */

const HIDDEN_SINGLE_LINE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
// The same, but tab, line feed and carriage return are part of prose.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const HIDDEN_MULTI_LINE = /[\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

export interface ShownTextOptions {
  /** Allows tab, line feed and carriage return (descriptions); names are single-line. */
  multiline?: boolean;
}

/** The first character the rule refuses, as `U+202E`, or undefined when the text is fine. */
export function findHiddenCharacter(text: string, options: ShownTextOptions = {}): string | undefined {
  const match = (options.multiline ? HIDDEN_MULTI_LINE : HIDDEN_SINGLE_LINE).exec(text);
  if (!match) return undefined;
  return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The message for a field that breaks the rule, naming the character so the person can find it. */
export function hiddenCharacterMessage(label: string, codePoint: string): string {
  return `${label} must not contain invisible, control or text-direction characters (found ${codePoint}).`;
}

/**
 * For a zod `.superRefine`: adds the rule's issue to the field.
 * `z.string().superRefine(refuseHiddenCharacters('Name'))`.
 */
export function refuseHiddenCharacters(label: string, options: ShownTextOptions = {}) {
  return (value: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }) => {
    const found = findHiddenCharacter(value, options);
    if (found) ctx.addIssue({ code: 'custom', message: hiddenCharacterMessage(label, found) });
  };
}

/**
 * Single-line text from a source that cannot be asked again (an identity provider's name for a
 * person): controls and separators become spaces, format characters and lone surrogates are
 * removed, runs of spaces collapse. The result obeys findHiddenCharacter.
 */
export function cleanShownText(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/[\p{Cf}\p{Cs}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}
