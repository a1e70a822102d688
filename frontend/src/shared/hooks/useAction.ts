// What the user starts that waits on the server (save, add, remove, start a job): `busy` while
// it runs, so its buttons can be disabled, and the error it ended with, kept to show until the
// next run. `run(work)` resolves to whether the work succeeded, for what the page does after.
// One hook per form or row: its actions share the busy flag and the error, as one form shows.
import { useState } from "react";

export interface Action {
  run: (work: () => Promise<void>) => Promise<boolean>;
  busy: boolean;
  error: unknown;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}
