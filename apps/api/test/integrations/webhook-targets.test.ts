import { describe, expect, test } from 'vitest';
import { guardedLookup, isPrivateAddress, targetProblem } from '@portcullis/api/src/services/webhooks/targets.js';

/** SSRF care (issue 15): webhook targets on private, loopback or link-local addresses are refused unless allowed. */
describe('webhook targets', () => {
  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));
  test.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])('%s is public', (address) => expect(isPrivateAddress(address)).toBe(false));

  test('private URLs are refused unless allowed', async () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://[::1]/x', 'http://localhost/x', 'http://169.254.169.254/latest/meta-data', 'https://10.0.0.5/hook'])
      expect(await targetProblem(url, false), url).toMatch(/private/);
    expect(await targetProblem('http://127.0.0.1:8080/x', true)).toBeUndefined();
    expect(await targetProblem('https://93.184.216.34/hook', false)).toBeUndefined();
  });

  test('the connection-time lookup refuses a name that resolves to a private address (DNS rebinding)', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(error?.message).toMatch(/private/);
    const allowed = await new Promise<string>((resolve) => guardedLookup(true)('localhost', {}, (_e, address) => resolve(String(address))));
    expect(allowed).toMatch(/127\.0\.0\.1|::1/);
  });
});
