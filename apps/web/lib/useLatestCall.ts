import { useCallback, useRef } from 'react';

/**
 * For lists that reload when a search, filter or page changes: answers can arrive out of order,
 * and a slow answer to an older request must not replace the newer one on screen.
 * `const begin = useLatestCall(); … const isLatest = begin(); …; if (isLatest()) setData(next)`.
 */
export function useLatestCall(): () => () => boolean {
  const latest = useRef(0);
  return useCallback(() => {
    const call = ++latest.current;
    return () => call === latest.current;
  }, []);
}
