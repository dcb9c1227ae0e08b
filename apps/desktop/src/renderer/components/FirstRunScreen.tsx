import type { ServerInfo } from '@miscord/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { checkDisplayName, DISPLAY_NAME_MAX } from '../state/displayName';
import { parseServerUrl } from '../state/serverUrl';

export interface SignInRequest {
  readonly serverUrl: string;
  readonly displayName: string;
  readonly inviteCode?: string;
}

interface FirstRunScreenProps {
  readonly initialServerUrl: string;
  readonly initialDisplayName?: string;
  /** Why the user is here again (session expired, removed by the server), or null. */
  readonly notice?: string | null;
  readonly loadServerInfo: (serverUrl: string) => Promise<ServerInfo>;
  /** Resolves when signed in; rejects with an Error whose message is shown. */
  readonly signIn: (request: SignInRequest) => Promise<void>;
}

type ServerProbe =
  | { readonly status: 'idle' }
  | { readonly status: 'checking'; readonly url: string }
  | { readonly status: 'ok'; readonly url: string; readonly info: ServerInfo }
  | { readonly status: 'error'; readonly url: string; readonly message: string };

/** First run: pick a display name (and the server, and an invite code when the server wants one). */
export function FirstRunScreen({
  initialServerUrl,
  initialDisplayName = '',
  notice = null,
  loadServerInfo,
  signIn,
}: FirstRunScreenProps) {
  const ids = { name: useId(), server: useId(), invite: useId() };
  const [displayName, setDisplayName] = useState(initialDisplayName);
  const [serverUrl, setServerUrl] = useState(initialServerUrl);
  const [inviteCode, setInviteCode] = useState('');
  const [touched, setTouched] = useState({ name: false, server: false });
  const [probe, setProbe] = useState<ServerProbe>({ status: 'idle' });
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);

  const nameCheck = checkDisplayName(displayName);
  const serverCheck = parseServerUrl(serverUrl);
  const probedUrl = serverCheck.ok ? serverCheck.url : null;

  useEffect(() => {
    if (probedUrl === null) {
      setProbe({ status: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setProbe({ status: 'checking', url: probedUrl });
      loadServerInfo(probedUrl).then(
        (info) => current && setProbe({ status: 'ok', url: probedUrl, info }),
        (error: unknown) =>
          current &&
          setProbe({
            status: 'error',
            url: probedUrl,
            message: error instanceof Error ? error.message : String(error),
          }),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [probedUrl, loadServerInfo]);

  const inviteRequired = probe.status === 'ok' && probe.info.inviteRequired;
  const nameError = touched.name && !nameCheck.ok ? nameCheck.error : null;
  const serverError =
    touched.server && !serverCheck.ok ? serverCheck.error : probe.status === 'error' ? probe.message : null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched({ name: true, server: true });
    setSubmitError(null);
    if (!nameCheck.ok || !serverCheck.ok) return;
    if (inviteRequired && inviteCode.trim() === '') {
      setSubmitError('This server needs an invite code.');
      return;
    }
    setSubmitting(true);
    try {
      await signIn({
        serverUrl: serverCheck.url,
        displayName: nameCheck.name,
        ...(inviteRequired ? { inviteCode: inviteCode.trim() } : {}),
      });
    } catch (error) {
      setSubmitError(error instanceof Error ? error.message : String(error));
      setSubmitting(false);
    }
  };

  return (
    <div className="first-run">
      <form
        className="first-run__card"
        onSubmit={onSubmit}
        noValidate
        aria-labelledby="first-run-title"
        data-testid="first-run"
      >
        <h1 id="first-run-title" className="first-run__title">
          Welcome to Miscord
        </h1>
        <p className="first-run__subtitle">
          {probe.status === 'ok'
            ? `You are joining ${probe.info.name}.`
            : 'Pick a name your friends will see.'}
        </p>

        {notice !== null && (
          <p className="notice" role="alert">
            {notice}
          </p>
        )}

        <label className="field" htmlFor={ids.name}>
          <span className={`field__label${nameError ? ' field__label--error' : ''}`}>
            Display name
            {nameError && <span className="field__error"> — {nameError}</span>}
          </span>
          <input
            id={ids.name}
            className="text-input"
            value={displayName}
            autoComplete="nickname"
            maxLength={DISPLAY_NAME_MAX * 2}
            aria-invalid={nameError !== null}
            data-testid="display-name-input"
            onChange={(event) => setDisplayName(event.currentTarget.value)}
            onBlur={() => setTouched((t) => ({ ...t, name: true }))}
          />
        </label>

        <label className="field" htmlFor={ids.server}>
          <span className={`field__label${serverError ? ' field__label--error' : ''}`}>
            Server
            {serverError && <span className="field__error"> — {serverError}</span>}
          </span>
          <input
            id={ids.server}
            className="text-input"
            value={serverUrl}
            placeholder="http://127.0.0.1:8787"
            inputMode="url"
            spellCheck={false}
            aria-invalid={serverError !== null}
            data-testid="server-url-input"
            onChange={(event) => setServerUrl(event.currentTarget.value)}
            onBlur={() => setTouched((t) => ({ ...t, server: true }))}
          />
        </label>

        {inviteRequired && (
          <label className="field" htmlFor={ids.invite}>
            <span className="field__label">Invite code</span>
            <input
              id={ids.invite}
              className="text-input"
              value={inviteCode}
              autoComplete="off"
              spellCheck={false}
              data-testid="invite-code-input"
              onChange={(event) => setInviteCode(event.currentTarget.value)}
            />
          </label>
        )}

        {submitError !== null && (
          <p className="form-error" role="alert" data-testid="sign-in-error">
            {submitError}
          </p>
        )}

        <button type="submit" className="primary-button" disabled={submitting} data-testid="sign-in-button">
          {submitting ? 'Joining…' : 'Continue'}
        </button>
        <p className="first-run__hint">
          {probe.status === 'checking' && 'Checking the server…'}
          {probe.status === 'ok' && `Server ${probe.info.name} · v${probe.info.version}`}
        </p>
      </form>
    </div>
  );
}
