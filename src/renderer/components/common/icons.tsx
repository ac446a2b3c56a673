// Small line icons drawn inline (no icon font, no network): 16px on a 16-unit grid, currentColor.
import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

function Icon({ children, ...props }: IconProps) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const CheckIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M3 8.5l3 3 7-7" />
  </Icon>
);

export const DoubleCheckIcon = (props: IconProps) => (
  <Icon viewBox="0 0 20 16" width="20" {...props}>
    <path d="M1.5 8.5l3 3 7-7" />
    <path d="M8.5 11.5l7-7" />
    <path d="M7.2 10.2l1.3 1.3" />
  </Icon>
);

export const ClockIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 4.5V8l2.5 1.5" />
  </Icon>
);

export const AlertCircleIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 4.75v3.75" />
    <path d="M8 11.1v.05" />
  </Icon>
);

export const AlertTriangleIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M8 2.2L14.3 13H1.7z" />
    <path d="M8 6.5v3" />
    <path d="M8 11.2v.05" />
  </Icon>
);

export const LockIcon = (props: IconProps) => (
  <Icon {...props}>
    <rect x="3" y="7" width="10" height="7" rx="1.5" />
    <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
  </Icon>
);

export const SendIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M14 2L7 9" />
    <path d="M14 2l-4.5 12-2.5-5-5-2.5z" />
  </Icon>
);

export const CloseIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Icon>
);

export const PersonIcon = (props: IconProps) => (
  <Icon {...props}>
    <circle cx="8" cy="5.5" r="2.75" />
    <path d="M2.75 14c.6-2.9 2.7-4.5 5.25-4.5s4.65 1.6 5.25 4.5" />
  </Icon>
);

export const InboxIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M2 9.5l1.8-6h8.4l1.8 6V13H2z" />
    <path d="M2 9.5h3.5l1 1.5h3l1-1.5H14" />
  </Icon>
);

export const ChatIcon = (props: IconProps) => (
  <Icon {...props}>
    <path d="M2.5 3.5h11v7.5H7l-3.5 2.5V11h-1z" />
  </Icon>
);

/** Ventana's mark: a window with its four panes. */
export const VentanaMark = (props: IconProps) => (
  <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false" {...props}>
    <rect x="2" y="2" width="20" height="20" rx="6" fill="currentColor" />
    <rect x="6.5" y="6.5" width="4.75" height="4.75" rx="1" fill="#fff" opacity="0.95" />
    <rect x="12.75" y="6.5" width="4.75" height="4.75" rx="1" fill="#fff" opacity="0.75" />
    <rect x="6.5" y="12.75" width="4.75" height="4.75" rx="1" fill="#fff" opacity="0.75" />
    <rect x="12.75" y="12.75" width="4.75" height="4.75" rx="1" fill="#fff" opacity="0.55" />
  </svg>
);
