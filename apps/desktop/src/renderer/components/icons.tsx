/** Inline SVG icons (24×24, currentColor). Decorative: the buttons around them carry the labels. */
import type { ReactElement } from 'react';

interface IconProps {
  readonly size?: number;
}

function Svg({ size = 20, children }: IconProps & { readonly children: ReactElement | ReactElement[] }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="currentColor"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export function MicIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 2a3.5 3.5 0 0 0-3.5 3.5v6a3.5 3.5 0 0 0 7 0v-6A3.5 3.5 0 0 0 12 2Z" />
      <path d="M6 11a1 1 0 1 0-2 0 8 8 0 0 0 7 7.94V21H9a1 1 0 1 0 0 2h6a1 1 0 1 0 0-2h-2v-2.06A8 8 0 0 0 20 11a1 1 0 1 0-2 0 6 6 0 0 1-12 0Z" />
    </Svg>
  );
}

export function MicOffIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M15.5 11.3V5.5a3.5 3.5 0 0 0-6.86-.97l6.86 6.77Z" />
      <path d="M18 11a6 6 0 0 1-.52 2.45l1.5 1.48A7.96 7.96 0 0 0 20 11a1 1 0 1 0-2 0ZM3.7 2.3a1 1 0 0 0-1.4 1.4L8.5 9.9v1.6a3.5 3.5 0 0 0 5.1 3.1l1.47 1.47A6 6 0 0 1 6 11a1 1 0 1 0-2 0 8 8 0 0 0 7 7.94V21H9a1 1 0 1 0 0 2h6a1 1 0 1 0 0-2h-2v-2.06a7.9 7.9 0 0 0 3.5-1.3l3.8 3.76a1 1 0 0 0 1.4-1.42L3.7 2.3Z" />
    </Svg>
  );
}

export function HeadphonesIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 3a9 9 0 0 0-9 9v5a3 3 0 0 0 3 3h1a2 2 0 0 0 2-2v-4a2 2 0 0 0-2-2H5a7 7 0 0 1 14 0h-2a2 2 0 0 0-2 2v4a2 2 0 0 0 2 2h1a3 3 0 0 0 3-3v-5a9 9 0 0 0-9-9Z" />
    </Svg>
  );
}

export function HeadphonesOffIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 3a9 9 0 0 0-7.37 3.84l1.44 1.43A7 7 0 0 1 19 12h-2a2 2 0 0 0-2 2v1.17l5.9 5.9A3 3 0 0 0 21 20v-8a9 9 0 0 0-9-9ZM3.7 2.3a1 1 0 0 0-1.4 1.4l1.2 1.2A8.96 8.96 0 0 0 3 12v5a3 3 0 0 0 3 3h1a2 2 0 0 0 2-2v-4a2 2 0 0 0-2-2H5c0-1.1.26-2.14.71-3.07L20.3 21.7a1 1 0 0 0 1.4-1.4L3.7 2.3Z" />
    </Svg>
  );
}

export function GearIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path
        fillRule="evenodd"
        d="M10.56 1.1c-.46.05-.7.53-.64.98.18 1.16-.19 2.2-.98 2.53-.8.33-1.79-.15-2.49-1.1-.27-.36-.78-.52-1.14-.24-.77.59-1.45 1.27-2.04 2.04-.28.36-.12.87.24 1.14.96.7 1.43 1.7 1.1 2.49-.33.8-1.37 1.16-2.53.98-.45-.07-.93.18-.99.64a11.1 11.1 0 0 0 0 2.88c.06.46.54.7.99.64 1.16-.18 2.2.19 2.53.98.33.8-.14 1.79-1.1 2.49-.36.27-.52.78-.24 1.14.59.77 1.27 1.45 2.04 2.04.36.28.87.12 1.14-.24.7-.95 1.7-1.43 2.49-1.1.8.33 1.16 1.37.98 2.53-.07.45.18.93.64.99a11.1 11.1 0 0 0 2.88 0c.46-.06.7-.54.64-.99-.18-1.16.19-2.2.98-2.53.8-.33 1.79.14 2.49 1.1.27.36.78.52 1.14.24.77-.59 1.45-1.27 2.04-2.04.28-.36.12-.87-.24-1.14-.96-.7-1.43-1.7-1.1-2.49.33-.8 1.37-1.16 2.53-.98.45.07.93-.18.99-.64a11.1 11.1 0 0 0 0-2.88c-.06-.46-.54-.7-.99-.64-1.16.18-2.2-.19-2.53-.98-.33-.8.14-1.79 1.1-2.49.36-.27.52-.78.24-1.14a11.07 11.07 0 0 0-2.04-2.04c-.36-.28-.87-.12-1.14.24-.7.96-1.7 1.43-2.49 1.1-.8-.33-1.16-1.37-.98-2.53.07-.45-.18-.93-.64-.99a11.1 11.1 0 0 0-2.88 0ZM16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0Z"
      />
    </Svg>
  );
}

export function HangUpIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M21.71 13.4c.4.4.4 1.03 0 1.42l-2.12 2.13a1 1 0 0 1-1.31.09l-2.4-1.8a1 1 0 0 1-.4-.8v-2.09a10.9 10.9 0 0 0-7 0v2.09a1 1 0 0 1-.4.8l-2.4 1.8a1 1 0 0 1-1.3-.09L2.28 14.8a1 1 0 0 1 0-1.41c5.36-5.36 14.06-5.36 19.42 0Z" />
    </Svg>
  );
}

export function SpeakerIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M12 3a1 1 0 0 0-1.6-.8L5.67 6H4a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h1.67l4.73 3.8A1 1 0 0 0 12 21V3ZM15.1 7.3a1 1 0 0 1 1.4 0 6.5 6.5 0 0 1 0 9.4 1 1 0 1 1-1.4-1.4 4.5 4.5 0 0 0 0-6.6 1 1 0 0 1 0-1.4Z" />
    </Svg>
  );
}

export function MoreIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4Zm8 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4Zm8 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z" />
    </Svg>
  );
}

export function CloseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M17.3 18.7a1 1 0 0 0 1.4-1.4L13.42 12l5.3-5.3a1 1 0 0 0-1.42-1.4L12 10.58l-5.3-5.3a1 1 0 0 0-1.4 1.42L10.58 12l-5.3 5.3a1 1 0 1 0 1.42 1.4L12 13.42l5.3 5.3Z" />
    </Svg>
  );
}

export function ScreenIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 3a3 3 0 0 0-3 3v9a3 3 0 0 0 3 3h7v2H8a1 1 0 1 0 0 2h8a1 1 0 1 0 0-2h-3v-2h7a3 3 0 0 0 3-3V6a3 3 0 0 0-3-3H4Z" />
    </Svg>
  );
}
