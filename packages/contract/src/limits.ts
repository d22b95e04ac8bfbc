// The contract's field limits as plain data (no zod): the API's field rules (fields.ts) enforce
// them, the web app's forms show them as `maxLength`. Safe to import in a browser bundle.

export const LIMITS = {
  email: 254,
  displayName: 100,
  projectName: 100,
  projectDescription: 2000,
  passwordMax: 128,
  /** What a sign-in form accepts before judging (a long one is simply wrong, not a 500). */
  loginPasswordMax: 1024,
  loginEmailMax: 320,
  /** A recovery code as typed (the rule in fields.ts; the codes themselves are shorter). */
  recoveryCodeMax: 64,
  /** A passkey's name, as shown in the list of passkeys. */
  passkeyName: 64,
} as const;
