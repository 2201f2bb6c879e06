/** @module The shell: sign-in gate, side navigation (a top bar with a menu at phone width), and the pages. */
import { type ReactNode, useEffect, useState } from 'react';
import { AgentsPage } from '../pages/agents.js';
import { ApiKeysPage } from '../pages/api-keys.js';
import { AvatarsPage } from '../pages/avatars.js';
import { LinksPage } from '../pages/links.js';
import { NotFoundPage } from '../pages/not-found.js';
import { SessionsPage } from '../pages/sessions.js';
import { SignInPage } from '../pages/sign-in.js';
import { UsagePage } from '../pages/usage.js';
import { WatchPage } from '../pages/watch.js';
import { WebhooksPage } from '../pages/webhooks.js';
import { LiveDock } from '../playground/live-dock.js';
import { isActive, LiveSessionProvider, useLiveSessionContext } from '../playground/live-session-context.js';
import { PlaygroundPage } from '../playground/playground-page.js';
import { ClientProvider, useAuth } from './client-context.js';
import { Link, navigate, usePath } from './router.js';

const PAGES: { path: string; label: string; render: () => ReactNode }[] = [
  { path: '/playground', label: 'Playground', render: () => <PlaygroundPage /> },
  { path: '/sessions', label: 'Sessions', render: () => <SessionsPage /> },
  { path: '/avatars', label: 'Avatars', render: () => <AvatarsPage /> },
  { path: '/agents', label: 'Agents', render: () => <AgentsPage /> },
  { path: '/links', label: 'Links', render: () => <LinksPage /> },
  { path: '/webhooks', label: 'Webhooks', render: () => <WebhooksPage /> },
  { path: '/keys', label: 'API keys', render: () => <ApiKeysPage /> },
  { path: '/usage', label: 'Usage', render: () => <UsagePage /> },
];

export function App() {
  return (
    <ClientProvider>
      <Shell />
    </ClientProvider>
  );
}

function Shell() {
  const { client } = useAuth();
  const path = usePath();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    if (path === '/' || path === '') navigate('/playground', { replace: true });
    setMenuOpen(false);
  }, [path]);

  // The LiveKit room page needs no API key: its viewer token is the credential.
  if (path === '/watch') return <WatchPage />;
  if (!client) return <SignInPage />;
  return (
    <LiveSessionProvider client={client}>
      <SignedIn path={path} menuOpen={menuOpen} setMenuOpen={setMenuOpen} />
    </LiveSessionProvider>
  );
}

function SignedIn({
  path,
  menuOpen,
  setMenuOpen,
}: {
  path: string;
  menuOpen: boolean;
  setMenuOpen: (update: (open: boolean) => boolean) => void;
}) {
  const { keyPrefix, signOut } = useAuth();
  const live = useLiveSessionContext();
  const liveNow = isActive(live.state.phase);
  const page = PAGES.find((p) => path === p.path || path.startsWith(`${p.path}/`));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className={`sidebar${menuOpen ? ' sidebar-open' : ''}`}>
        <div className="sidebar-top">
          <Link href="/playground" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            agenthuman
          </Link>
          <button
            type="button"
            className="button button-ghost menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="primary-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </button>
        </div>
        <nav id="primary-nav" aria-label="Primary">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <Link
                  href={p.path}
                  className="nav-link"
                  aria-current={page?.path === p.path ? 'page' : undefined}
                >
                  {p.label}
                  {p.path === '/playground' && liveNow && (
                    <span className="nav-live" data-testid="nav-live">
                      <span className="live-dot" aria-hidden="true" /> live
                    </span>
                  )}
                </Link>
              </li>
            ))}
            <li>
              <a className="nav-link" href="/docs" target="_blank" rel="noreferrer">
                API reference ↗
              </a>
            </li>
          </ul>
        </nav>
        <div className="sidebar-footer">
          <span className="muted small">
            Key <code>{keyPrefix}…</code>
          </span>
          <button type="button" className="button button-ghost button-small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {page ? page.render() : <NotFoundPage />}
      </main>
      <LiveDock onPlayground={page?.path === '/playground'} />
    </div>
  );
}
