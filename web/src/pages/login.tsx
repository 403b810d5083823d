// Sign-in: the token printed by `vigil up` at first start (or made with `vigil token create`),
// checked against the API before it is kept.
import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorBox } from '../components.tsx';

/** The sign-in page. */
export function Login({ onToken }: { onToken: (t: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api('/api/v1/alerts?limit=1', { token: value.trim() });
      onToken(value.trim());
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section id="login" className="card login">
      <h2>Sign in</h2>
      <p>
        Paste the token <code>vigil up</code> printed at first start, or one made with <code>vigil token create --scope read</code>.
      </p>
      <form id="login-form" onSubmit={submit}>
        <input id="token" type="password" autoComplete="off" placeholder="vgl_..." value={value} onChange={(e) => setValue(e.target.value)} required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
