import type { ScreenPresetId } from '@miscord/client';
import { useState } from 'react';
import type { ListSourcesReply } from '../../shared/screenIpc';
import type { GoLiveRequest } from '../state/LiveSession';
import type { MainView } from '../state/viewTypes';
import { ChannelSidebar } from './ChannelSidebar';
import { EmptyState } from './EmptyState';
import { GoLiveDialog } from './GoLiveDialog';
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
  startShare(request: GoLiveRequest): Promise<void>;
  stopShare(): void;
  setSharePreset(preset: ScreenPresetId): void;
  watchStream(userId: string): void;
  stopWatching(userId: string): void;
  setStreamVolume(userId: string, volume: number): void;
  /** The desktop app's screens and windows (`view.screen.picker === 'desktop'` only). */
  loadScreenSources(): Promise<ListSourcesReply>;
  /** The Go Live picker closed without a choice. */
  cancelShare(): void;
}

export function MainLayout({ view, actions }: { readonly view: MainView; readonly actions: MainActions }) {
  const current = view.channels.find((channel) => channel.id === view.self.channelId) ?? null;
  const selfSpeaking = current?.participants.find((participant) => participant.isSelf)?.speaking ?? false;
  const [goLiveOpen, setGoLiveOpen] = useState(false);
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
              screen={view.screen}
              onVolume={actions.setPeerVolume}
              onToggleLocalMute={actions.togglePeerMuted}
              onGoLive={() => setGoLiveOpen(true)}
              onStopShare={actions.stopShare}
              onSharePreset={actions.setSharePreset}
              onWatch={actions.watchStream}
              onStopWatching={actions.stopWatching}
              onStreamVolume={actions.setStreamVolume}
            />
            {goLiveOpen && (
              <GoLiveDialog
                screen={view.screen}
                loadSources={view.screen.picker === 'desktop' ? actions.loadScreenSources : null}
                onGoLive={(request) => {
                  setGoLiveOpen(false);
                  void actions.startShare(request);
                }}
                onClose={() => {
                  setGoLiveOpen(false);
                  actions.cancelShare();
                }}
              />
            )}
          </>
        ) : (
          <EmptyState spaceName={view.spaceName} notice={view.notice} />
        )}
      </main>
    </div>
  );
}
