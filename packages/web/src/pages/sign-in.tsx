/** @module Sign in with an API key; the key is checked against the server before it is kept. */
import { type FormEvent, useState } from 'react';
import { useAuth } from '../app/client-context.js';
import { useTitle } from '../app/router.js';
import { Field } from '../components/field.js';
import { errorText } from '../components/states.js';

export function SignInPage() {
  useTitle('Sign in');
  const { signIn } = useAuth();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^ah_(live|test)_[0-9A-Za-z]{32}$/.test(key.trim())) {
      setError('Keys look like ah_live_… or ah_test_… followed by 32 letters and digits.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} noValidate>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          agenthuman
        </div>
        <h1>Sign in</h1>
        <p className="muted">
          Paste an API key. The first start of the server printed one, and saved it to{' '}
          <code>data/bootstrap-key</code>.
        </p>
        <Field label="API key" error={error} hint="Kept in this tab only (sessionStorage).">
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="ah_live_…"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
            // biome-ignore lint/a11y/noAutofocus: the only field on the page
            autoFocus
          />
        </Field>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
