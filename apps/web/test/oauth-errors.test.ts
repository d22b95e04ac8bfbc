import { describe, expect, it } from 'vitest';
import { LOGIN_ERROR_CODES } from '../../api/src/services/oauth/errorCodes.js';
import { loginErrorMessage } from '../lib/form-errors.js';

describe('login page messages for the API’s OAuth error codes', () => {
  const generic = loginErrorMessage('something-unknown');

  it.each(LOGIN_ERROR_CODES)('%s has a message of its own', (code) => {
    const message = loginErrorMessage(code);
    expect(message).toBeDefined();
    expect(message).not.toBe(generic);
  });

  it('never echoes an unknown code back to the page', () => {
    expect(loginErrorMessage('<script>alert(1)</script>')).toBe(generic);
  });
});
