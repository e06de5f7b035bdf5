import type { CombinedError } from '@urql/core';
import { useClient, useQuery, useSubscription } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorAlert } from '../errors';
import {
  ConnectCaldavDocument,
  ConnectIcsDocument,
  ConnectionStatusDocument,
  ConnectionsDocument,
  ConnectOauthDocument,
  DisconnectDocument,
  ProvidersDocument,
  RegenerateAuthUrlDocument,
  SelectCalendarsDocument,
  UpdateCredentialsDocument,
  UpdateSyncConfigDocument,
  type ConsoleConnectionFieldsFragment,
  type ProviderKind,
  type ProvidersQuery,
} from '../generated';
import { ResourceSelect, useSelectedResource } from '../resource-select';
import { useCanWrite } from '../use-session';

type Connection = ConsoleConnectionFieldsFragment;
type Offer = ProvidersQuery['providers'][number];
const OAUTH: ProviderKind[] = ['GOOGLE', 'MICROSOFT'];

/** Where the OAuth callback sends the browser back to (with externalCalendarId, status, error). */
const returnUrl = () => `${location.origin}/console/connections`;

/**
 * What the `error` of the OAuth callback's return (src/modules/connections/oauth.service.ts,
 * CALLBACK_ERRORS) means for the owner, as `code: explanation`: the code first, as API errors are
 * shown, and what to do next.
 */
function callbackErrorMessage(code: string, status: string): string {
  const retry = 'Regenerate the consent link to try again.';
  const explanations: Record<string, string> = {
    access_denied: `consent was declined on the provider's page; the connection is ${status}. ${retry}`,
    exchange_failed: `the provider refused the authorization code; the connection is ${status}. ${retry}`,
    provider_unavailable: `the provider could not be reached to complete the connection; it is ${status}. ${retry}`,
  };
  return `${code}: ${explanations[code] ?? `the provider did not authorize the connection; it is ${status}. ${retry}`}`;
}

export function connectionLabel(c: { provider: ProviderKind; accountEmail?: string | null; serverUrl?: string | null }): string {
  return `${c.provider}${c.accountEmail ? ` ${c.accountEmail}` : c.serverUrl ? ` ${c.serverUrl}` : ''}`;
}

/** The connections of a resource, with status changes applied live (externalCalendarStatusChanged). */
export function useConnections(resourceId: string) {
  const [result, reexecute] = useQuery({ query: ConnectionsDocument, variables: { resourceId }, pause: !resourceId, requestPolicy: 'network-only' });
  const [live] = useSubscription(
    { query: ConnectionStatusDocument, variables: { resourceId }, pause: !resourceId },
    (statuses: Record<string, { status: string; lastError?: string | null }> = {}, event) => ({
      ...statuses,
      [event.externalCalendarStatusChanged.externalCalendarId]: event.externalCalendarStatusChanged,
    }),
  );
  const connections = (result.data?.externalCalendars ?? []).map((c) => {
    const update = live.data?.[c.id];
    return update ? { ...c, status: update.status as Connection['status'], lastError: update.lastError ?? null } : c;
  });
  return { connections, error: result.error ?? live.error, refresh: () => reexecute({ requestPolicy: 'network-only' }) };
}

export function ConnectionsPage() {
  const [resourceId, setResourceId] = useSelectedResource();
  const [providers] = useQuery({ query: ProvidersDocument });
  const { connections, error, refresh } = useConnections(resourceId);
  const [notice, setNotice] = useState<string | null>(null);
  const [callbackError, setCallbackError] = useState<string | null>(null);
  useEffect(() => {
    // Back from the OAuth callback: /console/connections?externalCalendarId=...&status=...&error=...
    const params = new URLSearchParams(location.search);
    if (!params.has('externalCalendarId')) return;
    const status = params.get('status') ?? 'unchanged';
    const code = params.get('error');
    if (code) setCallbackError(callbackErrorMessage(code, status));
    else setNotice(`The provider answered: the connection is ${status}.`);
    history.replaceState(null, '', location.pathname);
  }, []);
  const offers = providers.data?.providers ?? [];
  const offered = (id: ProviderKind) => offers.find((p) => p.id === id);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Connections
      </h1>
      <ResourceSelect value={resourceId} onChange={setResourceId} />
      {notice && <p role="status">{notice}</p>}
      <ErrorAlert error={providers.error ?? error} message={callbackError} />
      <div class="connections">
        {connections.map((c) => (
          <ConnectionCard key={c.id} connection={c} onChange={refresh} />
        ))}
        {resourceId && connections.length === 0 && <p class="muted">No connections yet.</p>}
      </div>
      {resourceId && (
        <div class="offers">
          {offers
            .filter((p) => p.connectMethods.includes('OAUTH'))
            .map((p) => (
              <OAuthConnect key={p.id} offer={p} resourceId={resourceId} />
            ))}
          {offered('CALDAV')?.connectMethods.includes('CREDENTIALS') && (
            <CredentialsConnect offer={offered('CALDAV')!} resourceId={resourceId} onDone={refresh} />
          )}
          {offered('APPLE')?.connectMethods.includes('CREDENTIALS') && (
            <CredentialsConnect offer={offered('APPLE')!} resourceId={resourceId} onDone={refresh} />
          )}
          {offers
            .filter((p) => p.connectMethods.includes('URL'))
            .map((p) => (
              <IcsConnect key={p.id} offer={p} resourceId={resourceId} onDone={refresh} />
            ))}
        </div>
      )}
    </section>
  );
}

function unavailable(offer: Offer): string | null {
  return offer.available ? null : `${offer.name} is not available: ${offer.unavailableReason ?? 'unknown reason'}`;
}

function OAuthConnect({ offer, resourceId }: { offer: Offer; resourceId: string }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [error, setError] = useState<CombinedError | null>(null);
  const label = offer.id === 'GOOGLE' ? 'Google' : offer.id === 'MICROSOFT' ? 'Microsoft' : offer.name;
  return (
    <div class="card">
      <button
        type="button"
        disabled={!canWrite || !offer.available}
        onClick={async () => {
          const result = await client.mutation(ConnectOauthDocument, { input: { resourceId, provider: offer.id, redirectUrl: returnUrl() } }).toPromise();
          setError(result.error ?? null);
          if (result.data) location.assign(result.data.connectExternalCalendar.authUrl);
        }}
      >
        Connect {label}
      </button>
      {unavailable(offer) && <p class="muted">{unavailable(offer)}</p>}
      <ErrorAlert error={error} />
    </div>
  );
}

function CredentialsConnect({ offer, resourceId, onDone }: { offer: Offer; resourceId: string; onDone: () => void }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [serverUrl, setServerUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<CombinedError | null>(null);
  const caldav = offer.id === 'CALDAV';
  const title = caldav ? 'Connect CalDAV' : `Connect ${offer.name}`;
  const id = `connect-${offer.id.toLowerCase()}`;
  return (
    <form
      class="card"
      aria-labelledby={id}
      onSubmit={async (event) => {
        event.preventDefault();
        const input = { resourceId, provider: offer.id, username, password, ...(serverUrl ? { serverUrl } : {}) };
        const result = await client.mutation(ConnectCaldavDocument, { input }).toPromise();
        setError(result.error ?? null);
        if (result.data) {
          setPassword('');
          onDone();
        }
      }}
    >
      <h2 id={id}>{title}</h2>
      {unavailable(offer) && <p class="muted">{unavailable(offer)}</p>}
      <fieldset disabled={!canWrite || !offer.available}>
        <label>
          Server URL{caldav ? '' : ' (optional)'}
          <input type="url" value={serverUrl} required={caldav} onInput={(e) => setServerUrl(e.currentTarget.value)} />
        </label>
        <label>
          Username
          <input value={username} required autocomplete="username" onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input type="password" value={password} required autocomplete="current-password" onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <button type="submit">{caldav ? 'Connect' : title}</button>
      </fieldset>
      <ErrorAlert error={error} />
    </form>
  );
}

function IcsConnect({ offer, resourceId, onDone }: { offer: Offer; resourceId: string; onDone: () => void }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [url, setUrl] = useState('');
  const [error, setError] = useState<CombinedError | null>(null);
  return (
    <form
      class="card"
      aria-labelledby="connect-ics"
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await client.mutation(ConnectIcsDocument, { input: { resourceId, url } }).toPromise();
        setError(result.error ?? null);
        if (result.data) {
          setUrl('');
          onDone();
        }
      }}
    >
      <h2 id="connect-ics">Subscribe to an ICS feed</h2>
      {unavailable(offer) && <p class="muted">{unavailable(offer)}</p>}
      <fieldset disabled={!canWrite || !offer.available}>
        <label>
          ICS feed URL
          <input type="url" value={url} required onInput={(e) => setUrl(e.currentTarget.value)} />
        </label>
        <button type="submit">Add feed</button>
      </fieldset>
      <ErrorAlert error={error} />
    </form>
  );
}

function ConnectionCard({ connection: c, onChange }: { connection: Connection; onChange: () => void }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [error, setError] = useState<CombinedError | null>(null);
  const [password, setPassword] = useState('');
  const label = connectionLabel(c);
  const run = async (mutation: () => Promise<{ error?: CombinedError }>) => {
    const result = await mutation();
    setError(result.error ?? null);
    if (!result.error) onChange();
  };
  const oauth = OAUTH.includes(c.provider);
  const credentials = c.provider === 'CALDAV' || c.provider === 'APPLE';
  const broken = c.status !== 'CONNECTED' && c.status !== 'DISCONNECTED';
  return (
    <article class="card connection" aria-label={label}>
      <h2>
        {label} <span class={`badge status-${c.status.toLowerCase()}`}>{c.status}</span>
      </h2>
      {broken && <p class="reason">{c.lastError ?? (c.status === 'PENDING' ? 'Waiting for the account owner to give consent.' : 'No reason recorded.')}</p>}
      {broken && oauth && (
        <button
          type="button"
          disabled={!canWrite}
          onClick={() =>
            run(async () => {
              const result = await client.mutation(RegenerateAuthUrlDocument, { id: c.id, redirectUrl: returnUrl() }).toPromise();
              if (result.data) location.assign(result.data.regenerateAuthUrl.authUrl);
              return result;
            })
          }
        >
          Regenerate consent link
        </button>
      )}
      {broken && credentials && (
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => client.mutation(UpdateCredentialsDocument, { input: { externalCalendarId: c.id, password } }).toPromise());
          }}
        >
          <fieldset disabled={!canWrite}>
            <label>
              New password
              <input type="password" value={password} required autocomplete="new-password" onInput={(e) => setPassword(e.currentTarget.value)} />
            </label>
            <button type="submit">Update password</button>
          </fieldset>
        </form>
      )}
      {c.status !== 'DISCONNECTED' && (
        <button type="button" class="danger" disabled={!canWrite} onClick={() => run(() => client.mutation(DisconnectDocument, { id: c.id }).toPromise())}>
          Disconnect
        </button>
      )}
      {c.status !== 'DISCONNECTED' && c.providerCalendars.length > 0 && <CalendarPicker connection={c} onSaved={onChange} />}
      {c.status !== 'DISCONNECTED' && <SyncSettings connection={c} />}
      <ErrorAlert error={error} />
    </article>
  );
}

function CalendarPicker({ connection: c, onSaved }: { connection: Connection; onSaved: () => void }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [read, setRead] = useState(() => new Set(c.providerCalendars.filter((p) => p.read).map((p) => p.id)));
  const [write, setWrite] = useState(() => c.providerCalendars.find((p) => p.write)?.id ?? '');
  const [error, setError] = useState<CombinedError | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <form
      class="calendars"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(false);
        const input = { externalCalendarId: c.id, readCalendarIds: [...read], writeCalendarId: write || null };
        const result = await client.mutation(SelectCalendarsDocument, { input }).toPromise();
        setError(result.error ?? null);
        if (result.data) {
          setSaved(true);
          onSaved();
        }
      }}
    >
      <fieldset disabled={!canWrite}>
        <legend>Calendars to read</legend>
        {c.providerCalendars.map((p) => (
          <label class="check" key={p.id}>
            <input
              type="checkbox"
              checked={read.has(p.id)}
              onChange={(e) => {
                const next = new Set(read);
                if (e.currentTarget.checked) next.add(p.id);
                else next.delete(p.id);
                setRead(next);
              }}
            />
            {p.name}
          </label>
        ))}
        <label>
          Write calendar
          <select value={write} onChange={(e) => setWrite(e.currentTarget.value)}>
            <option value="">(none)</option>
            {c.providerCalendars
              .filter((p) => p.canWrite)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <button type="submit">Save calendars</button>
      </fieldset>
      {saved && <p role="status">Calendars saved.</p>}
      <ErrorAlert error={error} />
    </form>
  );
}

const FLAGS = [
  ['importEnabled', 'Import events'],
  ['exportEnabled', 'Export appointments'],
  ['privateImport', 'Import privately (no titles)'],
  ['privateExport', 'Export as Busy'],
  ['tentativeIsBusy', 'Tentative events block time'],
  ['allDayIsBusy', 'All-day events block time'],
] as const;

/** The connection's SyncConfig: what is imported and exported, and the sync window. */
function SyncSettings({ connection: c }: { connection: Connection }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [config, setConfig] = useState(c.syncConfig);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <details class="settings">
      <summary>Sync settings</summary>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setSaved(false);
          const { importEnabled, exportEnabled, privateImport, privateExport, tentativeIsBusy, allDayIsBusy, syncWindowDaysBack, syncWindowDaysAhead } = config;
          const input = { importEnabled, exportEnabled, privateImport, privateExport, tentativeIsBusy, allDayIsBusy, syncWindowDaysBack, syncWindowDaysAhead };
          const result = await client.mutation(UpdateSyncConfigDocument, { id: c.id, input }).toPromise();
          setError(result.error ?? null);
          if (result.data) {
            setConfig(result.data.updateSyncConfig);
            setSaved(true);
          }
        }}
      >
        <fieldset disabled={!canWrite}>
          {FLAGS.map(([flag, label]) => (
            <label class="check" key={flag}>
              <input type="checkbox" checked={config[flag]} onChange={(e) => setConfig({ ...config, [flag]: e.currentTarget.checked })} />
              {label}
            </label>
          ))}
          <label>
            Days back
            <input
              type="number"
              min="0"
              max="366"
              value={config.syncWindowDaysBack}
              onInput={(e) => setConfig({ ...config, syncWindowDaysBack: Number(e.currentTarget.value) })}
            />
          </label>
          <label>
            Days ahead
            <input
              type="number"
              min="1"
              max="366"
              value={config.syncWindowDaysAhead}
              onInput={(e) => setConfig({ ...config, syncWindowDaysAhead: Number(e.currentTarget.value) })}
            />
          </label>
          <button type="submit">Save sync settings</button>
        </fieldset>
        {saved && <p role="status">Sync settings saved.</p>}
        <ErrorAlert error={error} />
      </form>
    </details>
  );
}
