import type { ChannelView } from '../state/viewTypes';
import { SpeakerIcon } from './icons';
import { ParticipantTile } from './ParticipantTile';

interface VoiceViewProps {
  readonly channel: ChannelView;
  readonly onVolume: (userId: string, volume: number) => void;
  readonly onToggleLocalMute: (userId: string) => void;
}

/** The channel I am in: one tile per person, speaking ring on whoever talks. */
export function VoiceView({ channel, onVolume, onToggleLocalMute }: VoiceViewProps) {
  const count = channel.participants.length;
  const columns = Math.min(4, Math.max(1, Math.ceil(Math.sqrt(count))));
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
      <ul className="tile-grid" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
        {channel.participants.map((participant) => (
          <ParticipantTile
            key={participant.userId}
            participant={participant}
            onVolume={onVolume}
            onToggleLocalMute={onToggleLocalMute}
          />
        ))}
      </ul>
    </section>
  );
}
