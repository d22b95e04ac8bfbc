/**
 * Which answer a page may show when loads and local edits overlap. Answers can arrive out of
 * order: a slow answer to an older load never replaces a newer one. And a load that was already
 * in flight when the page changed its data itself (a row just created) may have been read before
 * that change was written: its answer is stale too, and the caller loads again.
 */
export interface LoadOrder {
  /** A new load starts; returns its ticket. */
  begin(): number;
  /** The load with this ticket answered: true if its answer may be shown. */
  settle(ticket: number): boolean;
  /** The page changed its data itself: true if a load was in flight and must be started again. */
  localEdit(): boolean;
}

export function createLoadOrder(): LoadOrder {
  let latest = 0;
  let inFlight = false;
  return {
    begin() {
      inFlight = true;
      return ++latest;
    },
    settle(ticket) {
      if (ticket !== latest) return false;
      inFlight = false;
      return true;
    },
    localEdit() {
      if (!inFlight) return false;
      latest += 1; // the answer on its way can no longer win
      inFlight = false;
      return true;
    },
  };
}
