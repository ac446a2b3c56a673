import { useTranslation } from 'react-i18next';
import type { Ticks } from '../../format/message-ticks.ts';
import {
  AlertCircleIcon,
  AlertTriangleIcon,
  CheckIcon,
  ClockIcon,
  DoubleCheckIcon,
} from '../common/icons.tsx';

const glyphs = {
  clock: ClockIcon,
  check: CheckIcon,
  'double-check': DoubleCheckIcon,
  failed: AlertCircleIcon,
  unknown: AlertTriangleIcon,
} as const;

export function MessageTicks({ ticks }: { ticks: Ticks }) {
  const { t } = useTranslation();
  const Glyph = glyphs[ticks.glyph];
  const label = t(`message.status.${ticks.label}`);
  return (
    <span
      className={`message-ticks message-ticks--${ticks.tone}`}
      data-testid="message-ticks"
      role="img"
      aria-label={label}
      title={label}
    >
      <Glyph width={ticks.glyph === 'double-check' ? 17 : 14} height={14} />
    </span>
  );
}
