/**
 * The signed-in API key, kept in sessionStorage (gone with the tab, never in a URL), and whether
 * it is read-only. Listeners hear sign-in and sign-out, with the reason of a forced sign-out.
 */
const KEY = 'calsync.apiKey';
const READ_ONLY = 'calsync.readOnly';

export interface Session {
  apiKey: string;
  readOnly: boolean;
}

type Listener = (session: Session | null, reason: string | null) => void;
const listeners = new Set<Listener>();

export function currentSession(): Session | null {
  const apiKey = sessionStorage.getItem(KEY);
  return apiKey ? { apiKey, readOnly: sessionStorage.getItem(READ_ONLY) === 'true' } : null;
}

export function signIn(session: Session): void {
  sessionStorage.setItem(KEY, session.apiKey);
  sessionStorage.setItem(READ_ONLY, String(session.readOnly));
  for (const listener of listeners) listener(session, null);
}

/** Forgets the key; `reason` is shown on the sign-in form (a revoked key: "signed out: ..."). */
export function signOut(reason: string | null = null): void {
  if (!sessionStorage.getItem(KEY)) return;
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(READ_ONLY);
  for (const listener of listeners) listener(null, reason);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
