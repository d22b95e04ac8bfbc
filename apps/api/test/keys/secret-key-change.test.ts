import { expect } from 'vitest';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { keyRingBeside } from './helpers.js';

/**
 * The private signing keys are stored encrypted under SECRET_KEY. An instance started with another
 * one cannot sign: its key ring must fail to load, saying so in words an operator can act on (the
 * API prints it as "Portcullis API failed to start: …"), not with a cipher's "unable to
 * authenticate data".
 */

const test = apiTest({});
test.beforeAll(startApi);

test('a key ring with another SECRET_KEY than the database was set up with fails to load and names SECRET_KEY', async ({ server }) => {
  const elsewhere = keyRingBeside(server.ctx, 'another-secret-key-of-at-least-32-characters');
  await expect(elsewhere.start()).rejects.toMatchObject({
    code: 'SIGNING_KEY_UNREADABLE',
    message: expect.stringMatching(/cannot be decrypted with this SECRET_KEY/) as unknown,
  });
});
