import type { GatewayConnection } from '../gateway/GatewayConnection';
import { getLogLevel, type LogLevel, setLogLevel } from '../log/logger';
import type { VoiceSession } from '../voice/VoiceSession';

export interface MiscordDevtools {
  voice: VoiceSession | null;
  gateway: GatewayConnection | null;
  setLogLevel(level: LogLevel): void;
  getLogLevel(): LogLevel;
}

/**
 * Put `miscord.voice` and `miscord.gateway` on `target` (the renderer passes `window`) for the
 * devtools console. Calling again replaces the objects (e.g. a new VoiceSession after sign-in).
 */
export function installDevtoolsGlobals(
  target: object,
  parts: { voice?: VoiceSession | null; gateway?: GatewayConnection | null },
): MiscordDevtools {
  const holder = target as { miscord?: MiscordDevtools };
  const existing = holder.miscord;
  const devtools: MiscordDevtools = existing ?? {
    voice: null,
    gateway: null,
    setLogLevel,
    getLogLevel,
  };
  if (parts.voice !== undefined) devtools.voice = parts.voice;
  if (parts.gateway !== undefined) devtools.gateway = parts.gateway;
  holder.miscord = devtools;
  return devtools;
}
