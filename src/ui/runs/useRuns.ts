import { useCallback, useEffect, useState } from 'react';
import { RunStore, type RunSummary } from '../../storage/runStore';
import { errorMessage } from '../../shared/errorMessage';

/** The saved runs in this browser, and how much storage they take. */
export function useRuns() {
  const [store, setStore] = useState<RunStore | null>(null);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [usage, setUsage] = useState<{ usage: number; quota: number } | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);

  const refresh = useCallback(async (s: RunStore) => {
    setRuns(await s.list());
    const estimate = await navigator.storage?.estimate?.();
    if (estimate?.quota) setUsage({ usage: estimate.usage ?? 0, quota: estimate.quota });
  }, []);

  useEffect(() => {
    let opened: RunStore | null = null;
    RunStore.open()
      .then((s) => {
        opened = s;
        setStore(s);
        return refresh(s);
      })
      .catch((error: unknown) => setUnavailable(`Runs cannot be saved in this browser (${errorMessage(error)}); export them as .zip instead.`));
    return () => opened?.close();
  }, [refresh]);

  const remove = useCallback(
    async (id: string) => {
      if (!store) return;
      await store.delete(id);
      await refresh(store);
    },
    [store, refresh],
  );

  const rename = useCallback(
    async (id: string, name: string) => {
      if (!store) return;
      await store.rename(id, name);
      await refresh(store);
    },
    [store, refresh],
  );

  return { store, runs, usage, unavailable, rename, refresh: useCallback(() => (store ? refresh(store) : Promise.resolve()), [store, refresh]), remove };
}
