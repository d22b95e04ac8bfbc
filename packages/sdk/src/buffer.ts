// When to refresh an access token: pure functions so the policy can be tested branch by branch.

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * How long before expiry to refresh. Short tokens get a larger share (25%, at least 5 s) so
 * one slow round trip cannot outlast them; long tokens 10%, clamped to [10 s, 5 min] so a
 * day-long token is not refreshed hours early. (For lifetimes of 5 min and more, 10% is
 * always at least 30 s, so the 10 s floor only guards against a change of the cut-over.)
 */
export function refreshBufferMs(lifetimeMs: number): number {
  if (lifetimeMs < 5 * MINUTE) return Math.max(Math.round(lifetimeMs * 0.25), 5 * SECOND);
  return Math.min(Math.max(Math.round(lifetimeMs * 0.1), 10 * SECOND), 5 * MINUTE);
}

/**
 * Delay from receiving a token to refreshing it: lifetime minus buffer, but never less than
 * half the lifetime. Without that floor a token shorter than the 5 s minimum buffer (a test
 * server with `JWT_ACCESS_TTL=3s`) would be refreshed at once, again and again.
 */
export function refreshDelayMs(lifetimeMs: number): number {
  return Math.max(lifetimeMs - refreshBufferMs(lifetimeMs), Math.round(lifetimeMs / 2));
}
