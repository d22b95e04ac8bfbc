import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { apiJson } from '@/lib/api';
import { createLoadOrder } from '@/lib/loadOrder';

export interface ApiGet<T> {
  data: T | null;
  /** For a change made here that the page shows at once (an edited row). */
  setData: Dispatch<SetStateAction<T | null>>;
  loading: boolean;
  /** The last load's failure (an AuthError), cleared by the next load. */
  error: unknown;
  reload(): Promise<void>;
}

/**
 * GETs `path` with the signed-in user's token, again whenever `path` changes (a search, filter or
 * page). Answers can arrive out of order: a slow answer to an older path never replaces a newer one,
 * and a load still in flight when the page edits its data (a row it just created) is loaded again
 * rather than shown, since it may have been read before the edit was written (lib/loadOrder.ts).
 */
export function useApiGet<T>(path: string): ApiGet<T> {
  const { client, ready } = useAuth();
  const [data, setLoaded] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [order] = useState(createLoadOrder);

  const reload = useCallback(async () => {
    const ticket = order.begin();
    setLoading(true);
    setError(undefined);
    let answer: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      await ready();
      answer = { ok: true, value: await apiJson<T>(client, 'GET', path) };
    } catch (error) {
      answer = { ok: false, error };
    }
    if (!order.settle(ticket)) return;
    if (answer.ok) setLoaded(answer.value);
    else setError(answer.error);
    setLoading(false);
  }, [client, ready, path, order]);

  const setData = useCallback<Dispatch<SetStateAction<T | null>>>(
    (change) => {
      setLoaded(change);
      if (order.localEdit()) void reload();
    },
    [order, reload],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, setData, loading, error, reload };
}
