// The proactive refresh timer: one per client, restarted from each new token, backing off
// after refreshes that failed without ending the session. When to refresh is buffer.ts's policy.

/** setTimeout fires at once for delays above 2^31-1 ms; never ask for more. */
const MAX_TIMER_MS = 2_147_483_647;
/** After a refresh that failed for a reason other than 401 (offline, 503), retry after 5 s, doubling to 1 min. */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

export interface RefreshTimer {
  /** A new token arrived: refresh after delayMs (never when not finite), and back off afresh. */
  start(delayMs: number): void;
  /** Drop the pending refresh (the session ended). */
  cancel(): void;
  /** For good: later start() calls do nothing. */
  close(): void;
}

/**
 * enabled false (autoRefresh off) makes a timer that never fires. worthRetry decides, after a
 * failed refresh, whether another try could help.
 */
export function createRefreshTimer(enabled: boolean, refresh: () => Promise<unknown>, worthRetry: (err: unknown) => boolean): RefreshTimer {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let failures = 0;

  function cancel(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule(delayMs: number): void {
    cancel();
    if (closed || !enabled || !Number.isFinite(delayMs)) return;
    timer = setTimeout(fire, Math.min(Math.max(delayMs, 0), MAX_TIMER_MS));
    // A pending refresh must not keep a Node process (CLI, script) alive on its own.
    (timer as { unref?: () => void }).unref?.();
  }

  function fire(): void {
    timer = undefined;
    refresh().catch((err: unknown) => {
      if (!worthRetry(err)) return;
      schedule(Math.min(RETRY_FIRST_MS * 2 ** failures, RETRY_MAX_MS));
      failures++;
    });
  }

  return {
    start(delayMs) {
      failures = 0;
      schedule(delayMs);
    },
    cancel,
    close() {
      closed = true;
      cancel();
    },
  };
}
