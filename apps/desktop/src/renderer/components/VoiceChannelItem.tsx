import type { ChannelView } from '../state/viewTypes';
import { ChannelMember } from './ChannelMember';
import { SpeakerIcon } from './icons';

interface VoiceChannelItemProps {
  readonly channel: ChannelView;
  readonly selected: boolean;
  readonly onJoin: (channelId: string) => void;
}

export function isChannelFull(channel: ChannelView, selfInIt: boolean): boolean {
  return channel.userLimit > 0 && channel.participants.length >= channel.userLimit && !selfInIt;
}

/** A voice channel row (a button: click to join) and the people in it. */
export function VoiceChannelItem({ channel, selected, onJoin }: VoiceChannelItemProps) {
  const count = channel.participants.length;
  const full = isChannelFull(channel, selected);
  const occupancy = channel.userLimit > 0 ? `${count}/${channel.userLimit}` : null;
  const label = `${channel.name}, voice channel, ${count} ${count === 1 ? 'person' : 'people'}${
    channel.userLimit > 0 ? ` of ${channel.userLimit}` : ''
  }${full ? ', full' : ''}${selected ? ', connected' : ''}`;
  return (
    <li className="voice-channel" data-testid={`channel-${channel.id}`} data-channel-id={channel.id}>
      <button
        type="button"
        className={`voice-channel__row${selected ? ' voice-channel__row--selected' : ''}`}
        aria-label={label}
        aria-current={selected ? 'true' : undefined}
        data-testid={`channel-row-${channel.id}`}
        disabled={full}
        title={full ? 'This channel is full' : `Join ${channel.name}`}
        onClick={() => onJoin(channel.id)}
      >
        <SpeakerIcon size={18} />
        <span className="voice-channel__name">{channel.name}</span>
        {occupancy !== null && (
          <span
            className={`voice-channel__limit${full ? ' voice-channel__limit--full' : ''}`}
            data-testid="channel-occupancy"
          >
            {occupancy}
          </span>
        )}
      </button>
      {count > 0 && (
        <ul className="voice-channel__members" aria-label={`In ${channel.name}`}>
          {channel.participants.map((participant) => (
            <ChannelMember key={participant.userId} participant={participant} />
          ))}
        </ul>
      )}
    </li>
  );
}
