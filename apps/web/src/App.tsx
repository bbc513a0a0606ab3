import { useAuth } from './auth/AuthContext.tsx';
import { SignInView } from './auth/SignInView.tsx';
import { ConnectionIndicator } from './live/ConnectionIndicator.tsx';
import { useLiveUpdates } from './live/useLiveUpdates.ts';
import { Link } from './router/Link.tsx';
import { useLocation } from './router/router.ts';
import { routeFor, NAVIGATION } from './routes.tsx';

/** The dashboard: sign-in, then the shell with navigation and the current view. */
export function App() {
  const { state } = useAuth();
  if (state.phase === 'checking') {
    return (
      <p role="status" className="muted center">
        Checking your key…
      </p>
    );
  }
  if (state.phase === 'signedOut') return <SignInView />;

  return (
    <Shell operatorName={state.operator.name} role={state.operator.role} />
  );
}

function Shell({
  operatorName,
  role,
}: {
  operatorName: string;
  role: string | null;
}) {
  const { signOut } = useAuth();
  const location = useLocation();
  const route = routeFor(location.path);
  useLiveUpdates();

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Rollcall</span>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.path}>
                <Link
                  to={item.path}
                  aria-current={
                    route.section === item.path ? 'page' : undefined
                  }
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
          <ConnectionIndicator />
          <span className="muted" title="Signed in as">
            {operatorName}
            {role ? ` (${role})` : ''}
          </span>
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{route.element}</main>
    </div>
  );
}
