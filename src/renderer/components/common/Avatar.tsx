import { avatarTone, initials } from '../../format/initials.ts';
import { PersonIcon } from './icons.tsx';

export function Avatar({
  name,
  colorKey,
  size = 'md',
}: {
  name: string | null;
  colorKey: string;
  size?: 'md' | 'lg';
}) {
  const letters = initials(name);
  return (
    <span className={`avatar avatar--${size} avatar--tone-${avatarTone(colorKey)}`} aria-hidden="true">
      {letters ?? <PersonIcon width={size === 'lg' ? 20 : 18} height={size === 'lg' ? 20 : 18} />}
    </span>
  );
}
