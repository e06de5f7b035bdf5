import type { Client, CombinedError } from '@urql/core';
import { Provider } from '@urql/preact';
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApiClient } from './client';
import { ErrorAlert } from './errors';
import { ViewerDocument } from './generated';
import { AppointmentsPage } from './pages/appointments';
import { ConnectionsPage } from './pages/connections';
import { ResourcesPage } from './pages/resources';
import { SyncPage } from './pages/sync';
import { WeekPage } from './pages/week';
import { Link, usePath } from './router';
import { currentSession, onSessionChange, signIn, signOut, type Session } from './session';
import { SessionContext } from './use-session';
import './style.css';

const PAGES = [
  ['resources', 'Resources'],
  ['connections', 'Connections'],
  ['sync', 'Sync'],
  ['week', 'Week'],
  ['appointments', 'Appointments'],
] as const;

/** Whether `apiKey` works (UNAUTHENTICATED: a wrong or revoked key) and whether it is read-only (`viewer`). */
async function probeKey(apiKey: string): Promise<{ session: Session } | { error: CombinedError | string }> {
  const { client, dispose } = createApiClient(apiKey);
  try {
    const result = await client.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    if (result.data) return { session: { apiKey, readOnly: result.data.viewer.readOnly } };
    return { error: result.error ?? 'The gateway gave no answer' };
  } finally {
    dispose();
  }
}

function SignIn({ notice }: { notice: string | null }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | string | null>(null);
  return (
    <main class="signin">
      <h1>Calsync console</h1>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          const answer = await probeKey(key.trim());
          setBusy(false);
          if ('session' in answer) signIn(answer.session);
          else setError(answer.error);
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorAlert error={typeof error === 'string' ? null : error} message={typeof error === 'string' ? error : null} />
    </main>
  );
}

/**
 * The signed-in console. On each change of page (and on arriving from the sign-in form, which is
 * gone), the new page's heading takes the focus, as in a multi-page site: a screen reader reads
 * it, and Tab goes on from the top of the page, not from a link or form that is not there.
 * @param focusFirst whether the first page's heading takes the focus too (not on a reload).
 */
function Shell({ session, client, focusFirst }: { session: Session; client: Client; focusFirst: boolean }) {
  const path = usePath();
  const route = PAGES.some(([id]) => id === path.split('/')[0]) ? path.split('/')[0] : 'resources';
  const first = useRef(true);
  useEffect(() => {
    const title = PAGES.find(([id]) => id === route)?.[1];
    document.title = `${title} · Calsync console`;
    if (!first.current || focusFirst) document.querySelector<HTMLElement>('main h1')?.focus();
    first.current = false;
  }, [route]);
  return (
    <Provider value={client}>
      <SessionContext.Provider value={session}>
        <header class="top">
          <nav aria-label="Main">
            <ul>
              {PAGES.map(([id, label]) => (
                <li key={id}>
                  <Link to={id} current={id === route}>
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            {session.readOnly && <span class="badge">read-only key</span>}
            <button type="button" onClick={() => signOut('You signed out.')}>
              Sign out
            </button>
          </div>
        </header>
        <main>
          {route === 'resources' && <ResourcesPage />}
          {route === 'connections' && <ConnectionsPage />}
          {route === 'sync' && <SyncPage />}
          {route === 'week' && <WeekPage />}
          {route === 'appointments' && <AppointmentsPage />}
        </main>
      </SessionContext.Provider>
    </Provider>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(currentSession);
  const [notice, setNotice] = useState<string | null>(null);
  /** Whether the key was entered in this page (not restored from sessionStorage on a reload). */
  const [signedInHere, setSignedInHere] = useState(false);
  useEffect(
    () =>
      onSessionChange((next, reason) => {
        setSession(next);
        setNotice(reason);
        setSignedInHere(next !== null);
      }),
    [],
  );
  const api = useMemo(() => (session ? createApiClient(session.apiKey) : null), [session?.apiKey]);
  useEffect(() => () => api?.dispose(), [api]);
  if (!session || !api) return <SignIn notice={notice} />;
  return <Shell session={session} client={api.client} focusFirst={signedInHere} />;
}

render(<App />, document.getElementById('app')!);
