import type { MainView } from '../state/viewTypes';
import { ChannelSidebar } from './ChannelSidebar';
import { EmptyState } from './EmptyState';
import { ServerRail } from './ServerRail';
import { UserPanel } from './UserPanel';
import { VoiceView } from './VoiceView';

/** Everything the main screen can ask for; the store layer implements it on top of packages/client. */
export interface MainActions {
  joinChannel(channelId: string): void;
  leaveChannel(): void;
  toggleMute(): void;
  toggleDeafen(): void;
  openSettings(): void;
  setPeerVolume(userId: string, volume: number): void;
  togglePeerMuted(userId: string): void;
}

export function MainLayout({ view, actions }: { readonly view: MainView; readonly actions: MainActions }) {
  const current = view.channels.find((channel) => channel.id === view.self.channelId) ?? null;
  const selfSpeaking = current?.participants.find((participant) => participant.isSelf)?.speaking ?? false;
  return (
    <div className="layout">
      <ServerRail spaceName={view.spaceName} />
      <div className="layout__left">
        <ChannelSidebar
          spaceName={view.spaceName}
          channels={view.channels}
          currentChannelId={view.self.channelId}
          onJoin={actions.joinChannel}
        />
        <UserPanel
          self={view.self}
          connection={view.connection}
          speaking={selfSpeaking}
          onToggleMute={actions.toggleMute}
          onToggleDeafen={actions.toggleDeafen}
          onOpenSettings={actions.openSettings}
          onDisconnect={actions.leaveChannel}
        />
      </div>
      <main className="main">
        {current ? (
          <>
            {view.notice !== null && (
              <p className="notice notice--floating" role="alert">
                {view.notice}
              </p>
            )}
            <VoiceView
              channel={current}
              onVolume={actions.setPeerVolume}
              onToggleLocalMute={actions.togglePeerMuted}
            />
          </>
        ) : (
          <EmptyState spaceName={view.spaceName} notice={view.notice} />
        )}
      </main>
    </div>
  );
}
