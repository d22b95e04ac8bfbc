import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { configuredProviders } from '../../src/services/oauth/providers.js';
import { DEFAULT_REDIRECT, safeRedirectPath } from '../../src/services/oauth/redirects.js';

const WEB = 'http://localhost:3000';
const base = { NODE_ENV: 'test', SECRET_KEY: 'k'.repeat(40), DATA_DIR: 'memory://' };

describe('safeRedirectPath', () => {
  it('keeps relative paths on the web app, with query and fragment', () => {
    expect(safeRedirectPath('/projects', WEB)).toBe('/projects');
    expect(safeRedirectPath('/projects/1?tab=a&b=c#top', WEB)).toBe('/projects/1?tab=a&b=c#top');
  });

  it('falls back to /dashboard for anything that could leave the web app', () => {
    for (const value of [
      'https://evil.example',
      'http://localhost:3000/x', // absolute, even same-origin: only relative paths are honoured
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/\tjavascript',
      ' /projects',
      'projects',
      '',
      '/'.padEnd(3000, 'a'),
      ['/a', '/b'],
      undefined,
    ]) {
      expect(safeRedirectPath(value, WEB), JSON.stringify(value)).toBe(DEFAULT_REDIRECT);
    }
  });
});

describe('OAuth configuration', () => {
  it('enables a provider only when its client id and secret are set', () => {
    expect(configuredProviders(loadConfig(base))).toEqual([]);
    const config = loadConfig({
      ...base,
      GITHUB_CLIENT_ID: 'id',
      GITHUB_CLIENT_SECRET: 'secret',
      OIDC_ISSUER: 'https://sso.example.com',
      OIDC_CLIENT_ID: 'c',
      OIDC_CLIENT_SECRET: 's',
      OIDC_NAME: 'Example SSO',
    });
    expect(configuredProviders(config).map((p) => [p.id, p.name])).toEqual([
      ['github', 'GitHub'],
      ['oidc', 'Example SSO'],
    ]);
  });

  it('refuses a half-configured provider with one line naming the missing variable', () => {
    expect(() => loadConfig({ ...base, GOOGLE_CLIENT_ID: 'id' })).toThrow(
      new ConfigError('Invalid configuration: GOOGLE_CLIENT_SECRET: required when GOOGLE_CLIENT_ID is set'),
    );
    expect(() => loadConfig({ ...base, OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' })).toThrow(/OIDC_ISSUER: required when OIDC_CLIENT_ID is set/);
    expect(() => loadConfig({ ...base, GITHUB_TOKEN_URL: 'ftp://example.com' })).toThrow(/GITHUB_TOKEN_URL: expected an absolute http\(s\) URL/);
  });

  it('refuses plain-http providers in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', OAUTH_ALLOW_INSECURE_REQUESTS: 'true' })).toThrow(
      /OAUTH_ALLOW_INSECURE_REQUESTS: plain-http OAuth providers are refused in production/,
    );
  });
});
