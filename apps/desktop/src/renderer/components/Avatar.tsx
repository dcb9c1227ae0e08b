import { avatarColourOf, initialsOf } from '../state/initials';

interface AvatarProps {
  readonly userId: string;
  readonly displayName: string;
  readonly size: 'small' | 'medium' | 'large';
  readonly speaking?: boolean;
}

/** Initials on a per-user colour; a green ring while the person speaks. */
export function Avatar({ userId, displayName, size, speaking = false }: AvatarProps) {
  return (
    <span
      className={`avatar avatar--${size}${speaking ? ' avatar--speaking' : ''}`}
      style={{ backgroundColor: avatarColourOf(userId) }}
      data-speaking={speaking}
      aria-hidden="true"
    >
      {initialsOf(displayName)}
    </span>
  );
}
