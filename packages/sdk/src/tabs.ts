// Cross-tab coordination for browsers. Tabs of one origin share the refresh cookie, so they
// must not refresh independently (each refresh rotates the cookie) and must all sign out
// together. Web Locks serialise refreshes; a BroadcastChannel shares fresh tokens and
// sign-outs. Both are optional: without them (Node, old browsers) the client works per
// instance, and the server's reuse grace period absorbs two tabs refreshing at once.
import type { User } from '#sdk/types';

const LOCK_NAME = 'portcullis-refresh';
const CHANNEL_NAME = 'portcullis-auth';

export type TabMessage = { type: 'token'; accessToken: string; user: User; expiresIn: number; receivedAt: number } | { type: 'signed-out' };

export interface TabSync {
  /** Runs fn while holding the cross-tab refresh lock (or directly when Web Locks are absent). */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  publish(message: TabMessage): void;
  close(): void;
}

function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  if (m.type === 'signed-out') return true;
  return (
    m.type === 'token' &&
    typeof m.accessToken === 'string' &&
    typeof m.user === 'object' &&
    m.user !== null &&
    typeof m.expiresIn === 'number' &&
    typeof m.receivedAt === 'number'
  );
}

export function createTabSync(enabled: boolean, onMessage: (message: TabMessage) => void): TabSync {
  const g = globalThis as { navigator?: { locks?: LockManager }; BroadcastChannel?: typeof BroadcastChannel };
  const locks = enabled ? g.navigator?.locks : undefined;
  const channel = enabled && typeof g.BroadcastChannel === 'function' ? new g.BroadcastChannel(CHANNEL_NAME) : null;
  if (channel) {
    channel.onmessage = (event: MessageEvent) => {
      if (isTabMessage(event.data)) onMessage(event.data);
    };
  }
  return {
    async withLock<T>(fn: () => Promise<T>): Promise<T> {
      if (!locks) return fn();
      // Keep the result outside: LockManager's typing would nest the promise.
      let result: { value: T } | undefined;
      await locks.request(LOCK_NAME, async () => {
        result = { value: await fn() };
      });
      return (result as { value: T }).value;
    },
    publish(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A closed channel only means this client was closed; nothing to tell other tabs.
      }
    },
    close() {
      channel?.close();
    },
  };
}
