import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { connectLive } from '../api/wsClient.ts';
import { fetchOperator, type Operator } from './fetchOperator.ts';
import { roleIncludes, type OperatorRole } from './roles.ts';
import { currentKey, setKey } from './session.ts';

type AuthState =
  | { phase: 'checking' }
  | { phase: 'signedOut'; error: string | null }
  | { phase: 'signedIn'; operator: Operator };

interface AuthValue {
  state: AuthState;
  signIn(key: string): Promise<void>;
  signOut(): void;
}

const AuthContext = createContext<AuthValue | null>(null);

/** Holds the session: checks a stored key at start, signs in and out. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>(() =>
    currentKey() ? { phase: 'checking' } : { phase: 'signedOut', error: null },
  );

  const signIn = useCallback(async (key: string) => {
    try {
      const operator = await fetchOperator(key);
      setKey(key);
      connectLive(key);
      setState({ phase: 'signedIn', operator });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Sign-in failed';
      setState({ phase: 'signedOut', error: message });
    }
  }, []);

  const signOut = useCallback(() => {
    setKey(null);
    connectLive(null);
    queryClient.clear();
    setState({ phase: 'signedOut', error: null });
  }, [queryClient]);

  useEffect(() => {
    const stored = currentKey();
    if (stored) void signIn(stored);
  }, [signIn]);

  const value = useMemo(
    () => ({ state, signIn, signOut }),
    [state, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The session; throws outside AuthProvider. */
export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside AuthProvider');

  return value;
}

/**
 * True when the signed-in operator may do what needs `required`. An
 * unknown role (an API without `me`) shows the control and lets the
 * server decide.
 */
export function useCan(required: OperatorRole): boolean {
  const { state } = useAuth();
  if (state.phase !== 'signedIn') return false;

  const { role } = state.operator;
  return role === null || roleIncludes(role, required);
}
