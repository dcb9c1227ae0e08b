import type { ChannelView } from '../state/viewTypes';
import { VoiceChannelItem } from './VoiceChannelItem';

interface ChannelSidebarProps {
  readonly spaceName: string;
  readonly channels: readonly ChannelView[];
  readonly currentChannelId: string | null;
  readonly onJoin: (channelId: string) => void;
}

export function ChannelSidebar({ spaceName, channels, currentChannelId, onJoin }: ChannelSidebarProps) {
  return (
    <nav className="sidebar" aria-label={`${spaceName} channels`}>
      <header className="sidebar__header">
        <h1 className="sidebar__title" data-testid="space-name">
          {spaceName}
        </h1>
      </header>
      <div className="sidebar__scroll">
        <h2 className="sidebar__category">Voice channels</h2>
        <ul className="sidebar__channels">
          {channels.map((channel) => (
            <VoiceChannelItem
              key={channel.id}
              channel={channel}
              selected={channel.id === currentChannelId}
              onJoin={onJoin}
            />
          ))}
        </ul>
        {channels.length === 0 && <p className="sidebar__empty">This space has no voice channels yet.</p>}
      </div>
    </nav>
  );
}
