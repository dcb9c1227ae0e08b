import type { VoiceState } from '@miscord/protocol';
import type { ConnectionRecord } from './types';

/** The protocol's VoiceState of a record (channelId null when the session is not in voice). */
export function voiceStateOf(record: ConnectionRecord): VoiceState {
  return {
    userId: record.userId,
    sessionId: record.sessionId,
    displayName: record.displayName,
    channelId: record.channelId,
    selfMute: record.selfMute,
    selfDeaf: record.selfDeaf,
    streaming: record.streaming,
  };
}

/** The VoiceState announcing that a record's session left voice (sent once, with channelId null). */
export function leftVoiceOf(record: ConnectionRecord): VoiceState {
  return { ...voiceStateOf(record), channelId: null, selfMute: false, selfDeaf: false, streaming: false };
}
