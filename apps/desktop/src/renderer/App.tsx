import { useCallback, useEffect, useState } from 'react';
import { FirstRunScreen, type SignInRequest } from './components/FirstRunScreen';
import { MainScreen } from './components/MainScreen';
import type { RendererEnvironment } from './environment';
import { createSession, fetchServerInfo } from './state/gatewayHttp';
import { LiveSession, type SessionEnd } from './state/LiveSession';
import {
  forgetSession,
  LAST_SERVER_KEY,
  loadSession,
  type SavedSession,
  saveSession,
} from './state/savedSession';

/** Sign-in until there is a session, then the live app; back to sign-in when the session ends for good. */
export function App({ environment }: { readonly environment: RendererEnvironment }) {
  const [session, setSession] = useState<SavedSession | null>(() => loadSession(localStorage));
  const [endNotice, setEndNotice] = useState<string | null>(null);

  const signIn = useCallback(async ({ serverUrl, displayName, inviteCode }: SignInRequest) => {
    const reply = await createSession(serverUrl, {
      displayName,
      ...(inviteCode === undefined ? {} : { inviteCode }),
    });
    const saved: SavedSession = {
      serverUrl,
      token: reply.token,
      user: reply.user,
      expiresAt: reply.expiresAt,
    };
    saveSession(localStorage, saved);
    localStorage.setItem(LAST_SERVER_KEY, serverUrl);
    setEndNotice(null);
    setSession(saved);
  }, []);

  const signOut = useCallback((end?: SessionEnd) => {
    forgetSession(localStorage);
    setEndNotice(end?.message ?? null);
    setSession(null);
  }, []);

  if (session === null) {
    return (
      <FirstRunScreen
        initialServerUrl={localStorage.getItem(LAST_SERVER_KEY) ?? environment.defaultServerUrl}
        notice={endNotice}
        loadServerInfo={fetchServerInfo}
        signIn={signIn}
      />
    );
  }
  return <LiveApp key={session.token} session={session} environment={environment} onSignOut={signOut} />;
}

function LiveApp({
  session,
  environment,
  onSignOut,
}: {
  readonly session: SavedSession;
  readonly environment: RendererEnvironment;
  readonly onSignOut: (end?: SessionEnd) => void;
}) {
  const [live, setLive] = useState<LiveSession | null>(null);

  useEffect(() => {
    const created = new LiveSession(
      session,
      environment.identity,
      (end) => onSignOut(end),
      window.miscordDesktop?.screen ?? null,
    );
    created.start();
    setLive(created);
    return () => created.stop();
  }, [session, environment.identity, onSignOut]);

  if (live === null) {
    return (
      <div className="loading" role="status">
        Connecting…
      </div>
    );
  }
  return (
    <MainScreen
      view={live.view}
      voice={live.voice}
      inputLevel={live.inputLevel}
      actions={live.actions}
      media={live.media}
      onSignOut={() => onSignOut()}
    />
  );
}
