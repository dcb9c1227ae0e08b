import { defaultScreenPresetId, type ScreenPresetId, screenPresets } from '@miscord/client';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { ListSourcesReply } from '../../shared/screenIpc';
import type { GoLiveRequest } from '../state/LiveSession';
import type { ScreenShareView } from '../state/screenView';
import { CloseIcon } from './icons';
import { SourcePicker } from './SourcePicker';
import { Toggle } from './Toggle';

interface GoLiveDialogProps {
  readonly screen: ScreenShareView;
  /** The desktop app's sources (null in the web client: the browser shows its own picker). */
  readonly loadSources: (() => Promise<ListSourcesReply>) | null;
  readonly onGoLive: (request: GoLiveRequest) => void;
  readonly onClose: () => void;
}

type Sources =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly reply: ListSourcesReply }
  | { readonly status: 'failed'; readonly error: string };

const PRESET_HINTS: Readonly<Record<ScreenPresetId, string>> = {
  '720p30': 'Smooth, light on your upload',
  '1080p30': 'Sharper, for most games and videos',
  '1080p60': 'Fast motion; needs a good upload',
  text: 'Sharp text and code at full resolution, 5 fps',
};

/** 🖥️ "Go Live": what to share (desktop), the quality, and whether to share its audio. */
export function GoLiveDialog({ screen, loadSources, onGoLive, onClose }: GoLiveDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [preset, setPreset] = useState<ScreenPresetId>(defaultScreenPresetId);
  const [audio, setAudio] = useState(false);
  const [sources, setSources] = useState<Sources>({ status: 'loading' });
  const [sourceId, setSourceId] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  useEffect(() => {
    if (!loadSources) return;
    let cancelled = false;
    loadSources().then(
      (reply) => {
        if (cancelled) return;
        setSources({ status: 'ready', reply });
        setSourceId(reply.sources[0]?.id ?? null);
      },
      (error: unknown) => {
        if (!cancelled) setSources({ status: 'failed', error: String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [loadSources]);

  const desktop = loadSources !== null;
  const audioOffered =
    screen.audio.offered && (!desktop || (sources.status === 'ready' && sources.reply.audioAvailable));
  const canGo = !desktop || sourceId !== null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canGo) return;
    onGoLive({ preset, audio: audio && audioOffered, ...(desktop && sourceId ? { sourceId } : {}) });
  };

  return (
    <dialog
      ref={dialog}
      className="settings go-live"
      aria-labelledby={titleId}
      data-testid="go-live-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form method="dialog" onSubmit={submit}>
        <header className="settings__header">
          <h2 id={titleId} className="settings__title">
            Share your screen
          </h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        <div className="settings__body">
          {desktop ? (
            sources.status === 'loading' ? (
              <p className="go-live__note">Looking for screens and windows…</p>
            ) : sources.status === 'failed' ? (
              <p className="notice" role="alert">
                Could not list what can be shared: {sources.error}
              </p>
            ) : (
              <SourcePicker sources={sources.reply.sources} selectedId={sourceId} onSelect={setSourceId} />
            )
          ) : (
            <p className="go-live__note">
              After you press Go Live, your browser asks which screen, window or tab to share.
            </p>
          )}

          <fieldset className="go-live__presets">
            <legend className="field__label">Stream quality</legend>
            {Object.values(screenPresets).map((option) => (
              <label key={option.id} className="radio-row go-live__preset">
                <input
                  type="radio"
                  name="preset"
                  value={option.id}
                  checked={preset === option.id}
                  data-testid={`preset-${option.id}`}
                  onChange={() => setPreset(option.id)}
                />
                <span>
                  <span className="go-live__preset-label">{option.label}</span>
                  <span className="go-live__preset-hint">{PRESET_HINTS[option.id]}</span>
                </span>
              </label>
            ))}
          </fieldset>

          <Toggle
            label="Share audio"
            description={
              audioOffered
                ? 'Send the sound of what you share (never the voice chat itself).'
                : (screen.audio.reason ?? 'Sharing audio is not available here.')
            }
            checked={audio && audioOffered}
            disabled={!audioOffered}
            onChange={setAudio}
            testId="share-audio-toggle"
          />
        </div>
        <footer className="go-live__footer">
          <button type="button" className="link-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={!canGo} data-testid="go-live-button">
            Go Live
          </button>
        </footer>
      </form>
    </dialog>
  );
}
