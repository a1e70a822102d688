// Who is signed in: loaded once from /me/, refreshed after sign-in and sign-out.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";

import { ApiError, auth, type Me } from "../../lib/api/client";
import { setLiveAvailable } from "../../lib/live";

interface Session {
  me: Me | null;
  loading: boolean;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The signed-in user, or null when no one is (401/403); other errors are thrown. */
async function whoAmI(): Promise<Me | null> {
  try {
    const me = await auth.me();
    setLiveAvailable(me.live);
    return me;
  } catch (error) {
    if (!(error instanceof ApiError && (error.status === 401 || error.status === 403))) throw error;
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const refresh = useCallback(async () => {
    try {
      setMe(await whoAmI());
    } finally {
      setLoading(false);
    }
  }, []);
  const signOut = useCallback(async () => {
    await auth.logout();
    setMe(null);
  }, []);
  useEffect(() => {
    void whoAmI()
      .then(setMe)
      .finally(() => setLoading(false));
  }, []);
  return <SessionContext.Provider value={{ me, loading, refresh, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
