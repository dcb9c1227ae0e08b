/** Up to two initials for an avatar: first letters of the first two words, else the first two characters. */
export function initialsOf(displayName: string): string {
  const words = displayName.trim().split(/\s+/u).filter(Boolean);
  const letters =
    words.length >= 2
      ? [firstGrapheme(words[0] ?? ''), firstGrapheme(words[1] ?? '')]
      : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase() || '?';
}

function firstGrapheme(word: string): string {
  return [...word][0] ?? '';
}

/** A stable avatar colour per user id, from a small palette of Discord-like hues. */
const AVATAR_COLOURS = [
  '#5865f2',
  '#3ba55c',
  '#faa61a',
  '#ed4245',
  '#eb459e',
  '#00a8fc',
  '#9b59b6',
  '#1abc9c',
];

export function avatarColourOf(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i += 1) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length] ?? '#5865f2';
}
