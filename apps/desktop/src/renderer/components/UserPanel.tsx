import type { ConnectionView, SelfView } from '../state/viewTypes';
import { Avatar } from './Avatar';
import { ConnectionBadge } from './ConnectionBadge';
import { GearIcon, HangUpIcon, HeadphonesIcon, HeadphonesOffIcon, MicIcon, MicOffIcon } from './icons';

interface UserPanelProps {
  readonly self: SelfView;
  readonly connection: ConnectionView;
  readonly speaking: boolean;
  readonly onToggleMute: () => void;
  readonly onToggleDeafen: () => void;
  readonly onOpenSettings: () => void;
  readonly onDisconnect: () => void;
}

/** Bottom-left panel: connection badge, me, and my controls (disconnect while in voice). */
export function UserPanel({
  self,
  connection,
  speaking,
  onToggleMute,
  onToggleDeafen,
  onOpenSettings,
  onDisconnect,
}: UserPanelProps) {
  const inVoice = self.channelId !== null;
  return (
    <section className="user-panel" aria-label="Your voice controls">
      <div className="user-panel__connection">
        <ConnectionBadge connection={connection} />
        {inVoice && (
          <button
            type="button"
            className="icon-button icon-button--danger"
            aria-label="Disconnect from voice"
            title="Disconnect"
            data-testid="disconnect-button"
            onClick={onDisconnect}
          >
            <HangUpIcon />
          </button>
        )}
      </div>
      <div className="user-panel__me">
        <Avatar userId={self.userId} displayName={self.displayName} size="medium" speaking={speaking} />
        <div className="user-panel__names">
          <span className="user-panel__name" data-testid="self-name">
            {self.displayName}
          </span>
          <span className="user-panel__sub">
            {self.selfDeaf ? 'Deafened' : self.selfMute ? 'Muted' : inVoice ? 'In voice' : 'Online'}
          </span>
        </div>
        <button
          type="button"
          className={`icon-button${self.selfMute ? ' icon-button--active-danger' : ''}`}
          aria-label={self.selfMute ? 'Unmute' : 'Mute'}
          aria-pressed={self.selfMute}
          title={self.selfMute ? 'Unmute' : 'Mute'}
          data-testid="mute-button"
          onClick={onToggleMute}
        >
          {self.selfMute ? <MicOffIcon /> : <MicIcon />}
        </button>
        <button
          type="button"
          className={`icon-button${self.selfDeaf ? ' icon-button--active-danger' : ''}`}
          aria-label={self.selfDeaf ? 'Undeafen' : 'Deafen'}
          aria-pressed={self.selfDeaf}
          title={self.selfDeaf ? 'Undeafen' : 'Deafen'}
          data-testid="deafen-button"
          onClick={onToggleDeafen}
        >
          {self.selfDeaf ? <HeadphonesOffIcon /> : <HeadphonesIcon />}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="User settings"
          title="User settings"
          data-testid="settings-button"
          onClick={onOpenSettings}
        >
          <GearIcon />
        </button>
      </div>
    </section>
  );
}
