import { useEffect, useId, useRef, useState } from 'react';
import { openPopout, type Popout } from '../state/popout';
import type { RemoteStreamView } from '../state/screenView';
import { useScreenMedia } from './ScreenMediaContext';
import { StreamVideo } from './StreamVideo';

interface StreamViewProps {
  readonly stream: RemoteStreamView;
  readonly displayName: string;
  readonly onStopWatching: (userId: string) => void;
  readonly onVolume: (userId: string, volume: number) => void;
}

/**
 * 🖥️ One watched share, large: the picture, its audio volume, full screen, pop out, stop watching. Full
 * screen takes the whole view, controls included, so it can be left without the keyboard.
 */
export function StreamView({ stream, displayName, onStopWatching, onVolume }: StreamViewProps) {
  const media = useScreenMedia();
  const mediaStream = stream.ready ? media.streamOf(stream.userId) : null;
  const frame = useRef<HTMLElement>(null);
  const [fullscreen, setFullscreen] = useState(false);
  const [popout, setPopout] = useState<Popout | null>(null);
  const volumeId = useId();

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === frame.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  // Stopping to watch (or the share ending) closes the pop-out too.
  useEffect(() => () => popout?.close(), [popout]);

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void frame.current?.requestFullscreen().catch(() => undefined);
  };
  const popOut = async () => {
    if (!mediaStream) return;
    const opened = await openPopout(mediaStream, {
      userId: stream.userId,
      title: `${displayName} — screen share`,
      onClosed: () => setPopout(null),
    });
    setPopout(opened);
  };

  return (
    <section
      ref={frame}
      className="stream-view"
      aria-label={`${displayName}'s screen`}
      data-testid={`stream-view-${stream.userId}`}
      data-popped-out={popout !== null}
    >
      <div className="stream-view__frame">
        {popout ? (
          <div className="stream-view__popped">
            <p>Playing in another window.</p>
            <button type="button" className="secondary-button" onClick={() => setPopout(null)}>
              Bring it back
            </button>
          </div>
        ) : (
          <StreamVideo
            stream={mediaStream}
            label={`${displayName}'s screen`}
            testId={`stream-video-${stream.userId}`}
          />
        )}
        <span className="live-pill stream-view__live">LIVE</span>
      </div>
      <div className="stream-view__bar">
        <span className="stream-view__name">
          {displayName}
          <span className="stream-view__meta">
            {stream.preset} · {stream.viewerCount} watching
          </span>
        </span>
        {stream.audio && (
          <label className="stream-view__volume" htmlFor={volumeId}>
            <span className="visually-hidden">Stream volume</span>
            <input
              id={volumeId}
              type="range"
              min={0}
              max={200}
              step={5}
              value={stream.volume}
              aria-valuetext={`${stream.volume} percent`}
              data-testid={`stream-volume-${stream.userId}`}
              onChange={(event) => onVolume(stream.userId, Number(event.currentTarget.value))}
            />
            <output>{stream.volume}%</output>
          </label>
        )}
        <button
          type="button"
          className="secondary-button"
          aria-pressed={fullscreen}
          data-testid={`stream-fullscreen-${stream.userId}`}
          onClick={toggleFullscreen}
        >
          {fullscreen ? 'Exit full screen' : 'Full screen'}
        </button>
        <button
          type="button"
          className="secondary-button"
          disabled={!mediaStream}
          data-testid={`stream-popout-${stream.userId}`}
          onClick={() => void (popout ? setPopout(null) : popOut())}
        >
          {popout ? 'Pop in' : 'Pop out'}
        </button>
        <button
          type="button"
          className="danger-button"
          data-testid={`stream-stop-watching-${stream.userId}`}
          onClick={() => onStopWatching(stream.userId)}
        >
          Stop watching
        </button>
      </div>
    </section>
  );
}
