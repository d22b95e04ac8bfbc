import type { Logger } from 'pino';
import type { AccessClaims } from '../services/accessTokens.js';
import type { ApiError } from '../services/errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request id echoed in X-Request-Id and carried by every log line. */
      id: string;
      log: Logger;
      /** Set by the authentication middleware when a valid, unrevoked bearer token came with the request. */
      auth?: AccessClaims;
      /** Set instead when a bearer token came but was refused; requireAuth throws it. */
      authError?: ApiError;
    }
  }
}

export {};
