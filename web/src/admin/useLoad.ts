import { useCallback, useEffect, useState } from "react";

/** Loads on mount and when `load` changes; `reload` runs it again. Errors are kept and reported. */
export function useLoad<T>(load: () => Promise<T>, onError: (error: unknown) => void) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      setValue(await load());
      setError(null);
    } catch (e) {
      setError(e);
      onError(e);
    }
  }, [load, onError]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, error, reload };
}
