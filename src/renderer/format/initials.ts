// Avatar initials and a stable tone per conversation, so a customer keeps the same colour everywhere.
const AVATAR_TONES = 8;

/** Up to two letters from a name ("María José Pérez" -> "MJ"); null for numbers and ids. */
export function initials(name: string | null | undefined): string | null {
  const words = (name ?? '')
    .trim()
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word));
  if (words.length === 0) return null;
  return words
    .slice(0, 2)
    .map((word) => Array.from(word)[0]?.toLocaleUpperCase() ?? '')
    .join('');
}

export function avatarTone(key: string): number {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % AVATAR_TONES;
}
