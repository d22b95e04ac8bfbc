// The English catalogue: the source every translation is checked against. Split by area so
// parts of the app can be edited side by side; keys are globally unique, prefixed by area.
import { admin } from './admin';
import { common } from './common';

export const en = { ...common, ...admin } as const;
export type Messages = { [K in keyof typeof en]: string };
