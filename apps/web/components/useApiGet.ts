import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { apiJson } from '@/lib/api';

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
 * page). Answers can arrive out of order: a slow answer to an older path never replaces a newer one.
 */
export function useApiGet<T>(path: string): ApiGet<T> {
  const { client, ready } = useAuth();
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const call = ++latest.current;
    const isLatest = () => call === latest.current;
    setLoading(true);
    setError(undefined);
    try {
      await ready();
      const next = await apiJson<T>(client, 'GET', path);
      if (isLatest()) setData(next);
    } catch (err) {
      if (isLatest()) setError(err);
    } finally {
      if (isLatest()) setLoading(false);
    }
  }, [client, ready, path]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, setData, loading, error, reload };
}
