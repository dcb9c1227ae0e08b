import { type ScreenPresetId, screenPresets } from '@miscord/client';
import { useId } from 'react';
import type { ScreenShareView } from '../state/screenView';
import { ScreenIcon } from './icons';

interface CallControlsProps {
  readonly screen: ScreenShareView;
  readonly onGoLive: () => void;
  readonly onStopShare: () => void;
  readonly onPreset: (preset: ScreenPresetId) => void;
}

/** 🖥️ The bar under the call: share the screen, or while live, its quality and who watches. */
export function CallControls({ screen, onGoLive, onStopShare, onPreset }: CallControlsProps) {
  const qualityId = useId();
  const sharing = screen.sharing;
  return (
    <div className="call-controls" role="toolbar" aria-label="Call controls">
      {sharing ? (
        <>
          <span className="live-pill" data-testid="self-live">
            LIVE
          </span>
          <label className="call-controls__quality" htmlFor={qualityId}>
            <span className="visually-hidden">Stream quality</span>
            <select
              id={qualityId}
              className="select select--compact"
              value={sharing.preset}
              data-testid="share-quality"
              onChange={(event) => onPreset(event.currentTarget.value as ScreenPresetId)}
            >
              {Object.values(screenPresets).map((preset) => (
                <option key={preset.id} value={preset.id}>
                  {preset.label}
                </option>
              ))}
            </select>
          </label>
          <span className="call-controls__watchers" data-testid="share-watchers">
            {sharing.watchers.length === 0 ? 'Nobody watching yet' : `${sharing.watchers.length} watching`}
          </span>
          <button
            type="button"
            className="danger-button"
            data-testid="stop-share-button"
            onClick={onStopShare}
          >
            Stop streaming
          </button>
        </>
      ) : (
        <button
          type="button"
          className="call-controls__share"
          aria-label="Share your screen"
          title="Share your screen"
          disabled={screen.starting}
          data-testid="screen-share-button"
          onClick={onGoLive}
        >
          <ScreenIcon size={22} />
          <span>{screen.starting ? 'Starting…' : 'Share screen'}</span>
        </button>
      )}
    </div>
  );
}
