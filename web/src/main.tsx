// The Vigil UI: sign-in with an API token, then overview, alerts, images, compliance and
// rules pages under one header, with live alerts shared by every page. All alert contents
// are rendered as text by React, so nothing an attacker puts in an alert becomes markup.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { getToken, setToken, whenUnauthorized } from './api.ts';
import { LiveContext, useLiveStream } from './live.ts';
import { AlertDetail } from './pages/alert-detail.tsx';
import { Alerts } from './pages/alerts.tsx';
import { Compliance } from './pages/compliance.tsx';
import { Images } from './pages/images.tsx';
import { Login } from './pages/login.tsx';
import { Overview } from './pages/overview.tsx';
import { Rules } from './pages/rules.tsx';
import { useRoute } from './router.ts';
import './style.css';

const NAV = [
  ['overview', 'Overview'],
  ['alerts', 'Alerts'],
  ['images', 'Images'],
  ['compliance', 'Compliance'],
  ['rules', 'Rules'],
] as const;

function App() {
  const [token, setTok] = useState(getToken());
  const route = useRoute();
  const live = useLiveStream(!!token);
  useEffect(() => whenUnauthorized(() => (setToken(null), setTok(null))), []);
  const page = route.path[0] ?? 'overview';
  const signOut = () => {
    setToken(null);
    setTok(null);
  };
  return (
    <LiveContext.Provider value={live}>
      <header className="top">
        <a className="brand" href="#/overview">
          Vigil
        </a>
        {token && (
          <nav>
            {NAV.map(([id, label]) => (
              <a key={id} id={`nav-${id}`} href={`#/${id}`} className={page === id || (id === 'alerts' && page === 'alert') ? 'active' : ''}>
                {label}
              </a>
            ))}
          </nav>
        )}
        {token && (
          <span className="right">
            <span id="live" className={`live ${live.connected ? 'on' : 'off'}`} title="live alert stream">
              {live.connected ? 'live' : 'offline'}
            </span>
            <button id="logout" className="link" onClick={signOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main>
        {!token ? (
          <Login onToken={(t) => (setToken(t), setTok(t))} />
        ) : page === 'alerts' ? (
          <Alerts params={route.params} />
        ) : page === 'alert' && route.path[1] ? (
          <AlertDetail id={route.path[1]} />
        ) : page === 'images' ? (
          <Images params={route.params} />
        ) : page === 'compliance' ? (
          <Compliance />
        ) : page === 'rules' ? (
          <Rules />
        ) : (
          <Overview />
        )}
      </main>
    </LiveContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
