// The English catalogue: the source every translation is checked against. Split by area so
// parts of the app can be edited side by side; keys are globally unique, prefixed by area.
import { admin } from './admin';
import { adminConsole } from './adminConsole';
import { common } from './common';
import { components } from './components';
import { dashboard } from './dashboard';
import { errors } from './errors';
import { orgs } from './orgs';
import { settings } from './settings';
import { status } from './status';

export const en = { ...common, ...admin, ...errors, ...status, ...dashboard, ...adminConsole, ...orgs, ...settings, ...components } as const;
export type Messages = { [K in keyof typeof en]: string };
