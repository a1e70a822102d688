// Loads something once (and again on reload(), or when a value in `deps` changes), with the
// error kept to show; never a spinner forever: `loading` ends whether the request succeeds or
// fails. `deps` are plain values (ids): what the loader reads from the page.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
}

type Dep = string | number | boolean | null | undefined;

interface State<T> {
  key: string; // the deps the state was loaded for
  data: T | null;
  error: unknown;
  loading: boolean;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly Dep[]): Loaded<T> {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<State<T>>({ key, data: null, error: null, loading: true });
  const latest = useRef(load);
  useLayoutEffect(() => {
    latest.current = load;
  });
  const generation = useRef(0);

  // Starts a load; its answer is kept only if no later load (or unmount) came after it.
  const start = useCallback(async (forKey: string) => {
    const mine = ++generation.current;
    try {
      const value = await latest.current();
      if (mine === generation.current) setState({ key: forKey, data: value, error: null, loading: false });
    } catch (caught) {
      if (mine === generation.current) setState((s) => ({ ...s, key: forKey, error: caught, loading: false }));
    }
  }, []);

  useEffect(() => {
    void start(key);
    return () => {
      generation.current += 1; // a late answer for an old page is dropped
    };
  }, [key, start]);

  const reload = useCallback(async () => {
    setState((s) => ({ ...s, key, loading: true }));
    await start(key);
  }, [key, start]);
  const setData = useCallback((data: T) => setState((s) => ({ ...s, data })), []);

  // Deps changed and the new answer is not in yet: the last data stays shown, as loading.
  const loading = state.loading || state.key !== key;
  return { data: state.data, error: state.error, loading, reload, setData };
}
