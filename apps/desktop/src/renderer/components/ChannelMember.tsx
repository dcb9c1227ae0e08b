import type { ParticipantView } from '../state/viewTypes';
import { Avatar } from './Avatar';
import { HeadphonesOffIcon, MicOffIcon } from './icons';

/** One person under a voice channel in the sidebar. */
export function ChannelMember({ participant }: { readonly participant: ParticipantView }) {
  const { userId, displayName, speaking, selfMute, selfDeaf, streaming, isSelf } = participant;
  return (
    <li
      className={`channel-member${speaking ? ' channel-member--speaking' : ''}`}
      data-testid={`channel-member-${userId}`}
      data-speaking={speaking}
      data-muted={selfMute}
      data-deafened={selfDeaf}
    >
      <Avatar userId={userId} displayName={displayName} size="small" speaking={speaking} />
      <span className="channel-member__name">
        {displayName}
        {isSelf && <span className="visually-hidden"> (you)</span>}
      </span>
      <span className="channel-member__icons">
        {streaming && (
          <span className="live-pill" title="Sharing their screen">
            LIVE
          </span>
        )}
        {selfMute && !selfDeaf && (
          <span className="status-icon" role="img" aria-label="Muted" title="Muted">
            <MicOffIcon size={16} />
          </span>
        )}
        {selfDeaf && (
          <span className="status-icon" role="img" aria-label="Deafened" title="Deafened">
            <HeadphonesOffIcon size={16} />
          </span>
        )}
      </span>
    </li>
  );
}
