import { describe, expect } from 'vitest';
import { request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

describe('OpenAPI description of the account endpoints', () => {
  test.beforeAll(startApi);

  test('describes every account-lifecycle endpoint with its method', async ({ server }) => {
    const doc = (await request(server.url, 'GET', '/api/openapi.json')).body;
    const expected: [string, string][] = [
      ['/api/auth/login/mfa', 'post'],
      ['/api/auth/password/change', 'post'],
      ['/api/auth/password/forgot', 'post'],
      ['/api/auth/password/reset', 'post'],
      ['/api/auth/email/verify', 'post'],
      ['/api/auth/email/verify/resend', 'post'],
      ['/api/auth/email/change', 'post'],
      ['/api/auth/email/change/confirm', 'post'],
      ['/api/auth/mfa/totp/setup', 'post'],
      ['/api/auth/mfa/totp/enable', 'post'],
      ['/api/auth/mfa/totp/disable', 'post'],
      ['/api/dev/outbox', 'get'],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method]?.responses, `${method} ${path}`).toBeDefined();
  });
});
