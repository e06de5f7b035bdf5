import type { CombinedError } from '@urql/core';

/** One API error as the console shows it: `CODE: message (field)`. */
export function describeErrors(error: CombinedError): string[] {
  if (error.graphQLErrors.length === 0) return [`NETWORK_ERROR: ${error.networkError?.message ?? error.message}`];
  return error.graphQLErrors.map((e) => {
    const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'ERROR';
    const field = e.extensions?.field;
    return `${code}: ${e.message}${field ? ` (${Array.isArray(field) ? field.join('.') : String(field)})` : ''}`;
  });
}

/** Whether an answer says the key no longer works. */
export function isUnauthenticated(error: CombinedError): boolean {
  const status = (error.response as Response | undefined)?.status;
  return status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/** Errors of the API, never swallowed: an alert region, empty (and absent) when there are none. */
export function ErrorAlert({ error, message }: { error?: CombinedError | null; message?: string | null }) {
  const lines = [...(error ? describeErrors(error) : []), ...(message ? [message] : [])];
  if (lines.length === 0) return null;
  return (
    <div role="alert" class="alert">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}
