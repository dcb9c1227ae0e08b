import { type RefObject, useEffect, useId, useRef } from 'react';
import type { LocalPeerAudio } from '../state/viewTypes';

interface ParticipantMenuProps {
  readonly displayName: string;
  readonly localAudio: LocalPeerAudio;
  /** Viewport position (context menu) or null to anchor under the tile's menu button. */
  readonly position: { readonly x: number; readonly y: number } | null;
  readonly onVolume: (volume: number) => void;
  readonly onToggleMuted: () => void;
  readonly onClose: () => void;
  /** The button that toggles the menu: pressing it is not a click outside. */
  readonly anchor?: RefObject<HTMLElement | null>;
}

export const VOLUME_MAX = 200;

/** Per-person local audio: a 0–200 % volume slider and "mute for me". Escape or a click outside closes it. */
export function ParticipantMenu({
  displayName,
  localAudio,
  position,
  onVolume,
  onToggleMuted,
  onClose,
  anchor,
}: ParticipantMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const sliderId = useId();

  useEffect(() => {
    ref.current?.querySelector<HTMLInputElement>('input')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (ref.current?.contains(target) || anchor?.current?.contains(target)) return;
      onClose();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [onClose, anchor]);

  const style = position ? { position: 'fixed' as const, left: position.x, top: position.y } : undefined;
  return (
    <div
      ref={ref}
      className={`participant-menu${position ? '' : ' participant-menu--anchored'}`}
      style={style}
      role="dialog"
      aria-label={`Audio settings for ${displayName}`}
      data-testid="participant-menu"
    >
      <label className="participant-menu__label" htmlFor={sliderId}>
        User volume <output className="participant-menu__value">{localAudio.volume}%</output>
      </label>
      <input
        id={sliderId}
        className="range"
        type="range"
        min={0}
        max={VOLUME_MAX}
        step={5}
        value={localAudio.volume}
        aria-valuetext={`${localAudio.volume} percent`}
        data-testid="participant-volume"
        onChange={(event) => onVolume(Number(event.currentTarget.value))}
      />
      <label className="checkbox-row">
        <input
          type="checkbox"
          checked={localAudio.muted}
          data-testid="participant-local-mute"
          onChange={onToggleMuted}
        />
        Mute for me
      </label>
    </div>
  );
}
