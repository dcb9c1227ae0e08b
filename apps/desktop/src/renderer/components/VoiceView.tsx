import type { ScreenPresetId } from '@miscord/client';
import type { ScreenShareView } from '../state/screenView';
import type { ChannelView } from '../state/viewTypes';
import { CallControls } from './CallControls';
import { SpeakerIcon } from './icons';
import { ParticipantTile } from './ParticipantTile';
import { StreamView } from './StreamView';

/** What the voice view can ask for, beside the per-person audio menu. */
export interface VoiceViewActions {
  readonly onVolume: (userId: string, volume: number) => void;
  readonly onToggleLocalMute: (userId: string) => void;
  readonly onGoLive: () => void;
  readonly onStopShare: () => void;
  readonly onSharePreset: (preset: ScreenPresetId) => void;
  readonly onWatch: (userId: string) => void;
  readonly onStopWatching: (userId: string) => void;
  readonly onStreamVolume: (userId: string, volume: number) => void;
}

interface VoiceViewProps extends VoiceViewActions {
  readonly channel: ChannelView;
  readonly screen: ScreenShareView;
}

/**
 * The channel I am in: one tile per person, speaking ring on whoever talks. While I watch someone's
 * screen, their stream takes the stage and the tiles move to a strip below it (Discord's focus view).
 */
export function VoiceView(props: VoiceViewProps) {
  const { channel, screen } = props;
  const count = channel.participants.length;
  const watched = channel.participants.filter((p) => screen.streams[p.userId]?.watching);
  const staged = watched.length > 0;
  const columns = staged ? count : Math.min(4, Math.max(1, Math.ceil(Math.sqrt(count))));
  return (
    <section className="voice-view" aria-label={`Voice channel ${channel.name}`} data-testid="voice-view">
      <header className="main__header">
        <SpeakerIcon size={22} />
        <h2 className="main__title">{channel.name}</h2>
        <span className="main__subtitle">
          {count} {count === 1 ? 'person' : 'people'}
          {channel.userLimit > 0 ? ` · limit ${channel.userLimit}` : ''}
        </span>
      </header>
      {staged && (
        <div
          className="stream-stage"
          style={{ gridTemplateColumns: `repeat(${Math.min(2, watched.length)}, minmax(0, 1fr))` }}
          data-testid="stream-stage"
        >
          {watched.map((participant) => {
            const stream = screen.streams[participant.userId];
            return stream ? (
              <StreamView
                key={participant.userId}
                stream={stream}
                displayName={participant.displayName}
                onStopWatching={props.onStopWatching}
                onVolume={props.onStreamVolume}
              />
            ) : null;
          })}
        </div>
      )}
      <ul
        className={`tile-grid${staged ? ' tile-grid--strip' : ''}`}
        style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, ${staged ? '200px' : '1fr'}))` }}
      >
        {channel.participants.map((participant) => (
          <ParticipantTile
            key={participant.userId}
            participant={participant}
            onVolume={props.onVolume}
            onToggleLocalMute={props.onToggleLocalMute}
            stream={screen.streams[participant.userId]}
            sharing={participant.isSelf ? screen.sharing : null}
            onWatch={props.onWatch}
            compact={staged}
          />
        ))}
      </ul>
      <CallControls
        screen={screen}
        onGoLive={props.onGoLive}
        onStopShare={props.onStopShare}
        onPreset={props.onSharePreset}
      />
    </section>
  );
}
