import { randomUUID } from 'node:crypto';
import type { Bus } from '../realtime/bus.js';

/** How long a rotation waits for its own announcement to come back before answering anyway. */
const ECHO_TIMEOUT_MS = 2_000;

/**
 * Tells every instance that the key ring changed, and waits until the announcement has come back
 * to this instance through the bus, so that the other instances reload their rings now rather
 * than at their next periodic check. Nothing signs with the new key before KEY_PREPUBLISH has
 * passed, which is what actually protects verifiers. That the rotate call's answer means
 * "published everywhere" comes from the JWKS itself, which reads the ring before it answers
 * (KeyRing.upToDate): the message reaches each instance on its own schedule, not all at once.
 */
export class KeyAnnouncements {
  private waiting = new Map<string, () => void>();

  constructor(private readonly bus: Bus) {}

  /** Resolves true once this instance received its own message, false after the timeout (logged by the caller). */
  async announce(): Promise<boolean> {
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const echoed = new Promise<boolean>((resolve) => {
      this.waiting.set(id, () => resolve(true));
      timer = setTimeout(() => resolve(false), ECHO_TIMEOUT_MS);
      timer.unref();
    });
    try {
      await this.bus.publish({ type: 'keys', id });
      return await echoed;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  /** Called for every `keys` message received. */
  received(id: string | undefined): void {
    if (id) this.waiting.get(id)?.();
  }
}
