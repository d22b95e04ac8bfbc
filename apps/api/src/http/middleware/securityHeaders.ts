import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';

type HeaderStep = { set: string; value: string | number | readonly string[] } | { remove: string };

/**
 * What helmet does to a response, recorded once. Helmet is the source of the headers; with these
 * options none of them depends on the request, so running its dozen small middlewares again on
 * every request would only repeat the same calls (issue 12: the chain's per-request cost).
 */
function recordHelmet(handler: RequestHandler): HeaderStep[] {
  const steps: HeaderStep[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => steps.push({ set: name, value }),
    removeHeader: (name: string) => steps.push({ remove: name }),
  };
  let finished = false;
  handler({} as never, recorder as never, () => {
    finished = true;
  });
  // Helmet calls next() synchronously; anything else would mean it needs the request after all.
  if (!finished) throw new Error('securityHeaders: helmet did not finish synchronously');
  return steps;
}

/** Strict headers for a JSON API: nothing may be framed, sniffed or loaded from a response. */
export const helmetOptions = (options: { production: boolean }): Parameters<typeof helmet>[0] => ({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  crossOriginResourcePolicy: { policy: 'same-site' },
});

/** helmet(helmetOptions), its header work done once and replayed on every response. */
export const securityHeaders = (options: { production: boolean }): RequestHandler => {
  const steps = recordHelmet(helmet(helmetOptions(options)));
  return (_req, res: Response, next) => {
    for (const step of steps) {
      if ('set' in step) res.setHeader(step.set, step.value);
      else res.removeHeader(step.remove);
    }
    next();
  };
};
