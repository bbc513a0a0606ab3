import { useState, type FormEvent } from 'react';
import { useAuth } from './AuthContext.tsx';

/** The sign-in form: an operator API key, checked against the API. */
export function SignInView() {
  const { state, signIn } = useAuth();
  const [key, setKeyText] = useState('');
  const [isSubmitting, setIsSubmitting] = useState(false);
  const error = state.phase === 'signedOut' ? state.error : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsSubmitting(true);
    await signIn(key.trim());
    setIsSubmitting(false);
  };

  return (
    <main className="sign-in">
      <form
        className="card sign-in-card"
        onSubmit={submit}
        aria-labelledby="sign-in-title"
      >
        <h1 id="sign-in-title">Rollcall</h1>
        <p className="muted">Sign in with an operator API key.</p>
        <label htmlFor="operator-key">Operator key</label>
        <input
          id="operator-key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(event) => setKeyText(event.target.value)}
          required
        />
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
        <button type="submit" disabled={isSubmitting || key.trim() === ''}>
          {isSubmitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
