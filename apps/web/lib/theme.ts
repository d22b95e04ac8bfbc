// The colour theme chosen in the header, kept in a cookie so the server renders it from the first
// byte. A plain module: a server component cannot read a constant from a 'use client' module
// (it would get a client reference, not the string).
export type Theme = 'system' | 'light' | 'dark';
export const THEME_COOKIE = 'theme';
