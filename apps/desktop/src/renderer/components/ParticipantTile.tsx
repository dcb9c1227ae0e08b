import { type MouseEvent, useCallback, useRef, useState } from 'react';
import type { LocalShareView, RemoteStreamView } from '../state/screenView';
import type { ParticipantView } from '../state/viewTypes';
import { Avatar } from './Avatar';
import { HeadphonesOffIcon, MicOffIcon, MoreIcon } from './icons';
import { ParticipantMenu } from './ParticipantMenu';
import { useScreenMedia } from './ScreenMediaContext';
import { StreamVideo } from './StreamVideo';

interface ParticipantTileProps {
  readonly participant: ParticipantView;
  readonly onVolume: (userId: string, volume: number) => void;
  readonly onToggleLocalMute: (userId: string) => void;
  /** This person's share as I see it (others only), once its sharer announced it to me. */
  readonly stream?: RemoteStreamView | undefined;
  /** My own share, on my tile. */
  readonly sharing?: LocalShareView | null;
  readonly onWatch?: (userId: string) => void;
  /** A smaller tile in the strip under a watched stream. */
  readonly compact?: boolean;
}

const MENU_WIDTH = 220;
const MENU_HEIGHT = 120;

type MenuState =
  | { readonly open: false }
  | { readonly open: true; readonly at: { x: number; y: number } | null };

/** One person in the voice view. Right-click or the "…" button opens their local audio menu (not for me). */
export function ParticipantTile({
  participant,
  onVolume,
  onToggleLocalMute,
  stream,
  sharing = null,
  onWatch,
  compact = false,
}: ParticipantTileProps) {
  const { userId, displayName, speaking, selfMute, selfDeaf, isSelf, localAudio, link, streaming } =
    participant;
  const media = useScreenMedia();
  const [menu, setMenu] = useState<MenuState>({ open: false });
  const moreButton = useRef<HTMLButtonElement>(null);
  const openedFromButton = useRef(false);
  const close = useCallback(() => {
    // Opened from the keyboard-reachable button: give focus back to it.
    if (openedFromButton.current) moreButton.current?.focus();
    openedFromButton.current = false;
    setMenu({ open: false });
  }, []);

  const onContextMenu = (event: MouseEvent) => {
    if (isSelf) return;
    event.preventDefault();
    // Keep the menu (220 × ~120 px) inside the window.
    const x = Math.min(event.clientX, window.innerWidth - MENU_WIDTH - 8);
    const y = Math.min(event.clientY, window.innerHeight - MENU_HEIGHT - 8);
    setMenu({ open: true, at: { x: Math.max(8, x), y: Math.max(8, y) } });
  };

  const locallyMuted = localAudio.muted && !isSelf;
  return (
    <li
      className={`tile${speaking ? ' tile--speaking' : ''}${compact ? ' tile--compact' : ''}`}
      data-testid={`tile-${userId}`}
      data-speaking={speaking}
      data-link={link ?? 'self'}
      data-streaming={streaming}
      onContextMenu={onContextMenu}
    >
      {isSelf && sharing ? (
        <StreamVideo
          stream={media.localStream()}
          label="Your screen share (preview)"
          testId="self-share-preview"
          waitingText="Starting your stream…"
        />
      ) : (
        <div className="tile__center">
          <Avatar
            userId={userId}
            displayName={displayName}
            size={compact ? 'medium' : 'large'}
            speaking={speaking}
          />
          {!isSelf && stream && !stream.watching && onWatch && (
            <button
              type="button"
              className="primary-button primary-button--small"
              data-testid={`watch-stream-${userId}`}
              onClick={() => onWatch(userId)}
            >
              Watch stream
            </button>
          )}
        </div>
      )}
      {streaming && (
        <span className="live-pill tile__live">
          LIVE
          {isSelf && sharing ? ` · ${sharing.watchers.length} watching` : ''}
        </span>
      )}
      {!isSelf && stream?.watching && <span className="tile__link tile__link--watching">Watching</span>}
      <div className="tile__footer">
        <span className="tile__name">
          {displayName}
          {isSelf && ' (you)'}
        </span>
        {selfMute && !selfDeaf && (
          <span className="status-icon" role="img" aria-label="Muted">
            <MicOffIcon size={16} />
          </span>
        )}
        {selfDeaf && (
          <span className="status-icon" role="img" aria-label="Deafened">
            <HeadphonesOffIcon size={16} />
          </span>
        )}
        {locallyMuted && <span className="tile__tag">muted for you</span>}
        {!isSelf && localAudio.volume !== 100 && !locallyMuted && (
          <span className="tile__tag">{localAudio.volume}%</span>
        )}
      </div>
      {link === 'connecting' && <span className="tile__link">connecting…</span>}
      {link === 'failed' && <span className="tile__link tile__link--failed">no connection</span>}
      {!isSelf && (
        <button
          ref={moreButton}
          type="button"
          className="tile__more"
          aria-label={`Audio options for ${displayName}`}
          aria-haspopup="dialog"
          aria-expanded={menu.open}
          data-testid={`tile-menu-${userId}`}
          onClick={() => {
            if (menu.open) {
              close();
              return;
            }
            openedFromButton.current = true;
            setMenu({ open: true, at: null });
          }}
        >
          <MoreIcon size={18} />
        </button>
      )}
      {menu.open && (
        <ParticipantMenu
          displayName={displayName}
          localAudio={localAudio}
          position={menu.at}
          onVolume={(volume) => onVolume(userId, volume)}
          onToggleMuted={() => onToggleLocalMute(userId)}
          onClose={close}
          anchor={moreButton}
        />
      )}
    </li>
  );
}
