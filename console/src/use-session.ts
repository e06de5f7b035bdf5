import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './session';

export const SessionContext = createContext<Session | null>(null);

/** Whether the signed-in key may mutate: every control that would is disabled when not. */
export function useCanWrite(): boolean {
  return !useContext(SessionContext)?.readOnly;
}
