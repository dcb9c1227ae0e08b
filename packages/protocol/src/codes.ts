/**
 * Close codes and error codes: one table each, with what a client must do.
 */

export const CloseCode = {
  Normal: 1000,
  /** The node is draining (shutdown or deploy). Reconnect and resume. */
  GoingAway: 1001,
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidSeq: 4007,
  RateLimited: 4008,
  SessionTimedOut: 4009,
  /** More than the server's send limit waited for a client that was not reading. */
  SlowConsumer: 4010,
  InvalidVersion: 4012,
  Removed: 4014,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What a client does after the socket closes with a code. */
export type CloseAction = 'resume' | 'reidentify' | 'stop';

export interface CloseCodeInfo {
  readonly name: string;
  readonly action: CloseAction;
  readonly description: string;
}

export const closeCodeTable: Readonly<Record<CloseCode, CloseCodeInfo>> = {
  1000: { name: 'NORMAL', action: 'stop', description: 'The client closed the connection on purpose.' },
  1001: {
    name: 'GOING_AWAY',
    action: 'resume',
    description: 'The node is draining; reconnect (any node) and resume.',
  },
  4000: {
    name: 'UNKNOWN_ERROR',
    action: 'resume',
    description: 'Something went wrong on the server; resume.',
  },
  4001: {
    name: 'UNKNOWN_OPCODE',
    action: 'resume',
    description: 'The client sent an opcode the server does not know.',
  },
  4002: {
    name: 'DECODE_ERROR',
    action: 'resume',
    description: 'The frame was not a JSON envelope {op, d}, was binary, or was larger than allowed.',
  },
  4003: {
    name: 'NOT_AUTHENTICATED',
    action: 'reidentify',
    description: 'An op other than HEARTBEAT came before IDENTIFY or RESUME.',
  },
  4004: {
    name: 'AUTHENTICATION_FAILED',
    action: 'stop',
    description:
      'The token is invalid or expired. Get a new token (POST /api/sessions) before connecting again.',
  },
  4005: {
    name: 'ALREADY_AUTHENTICATED',
    action: 'resume',
    description: 'IDENTIFY or RESUME was sent twice.',
  },
  4007: {
    name: 'INVALID_SEQ',
    action: 'reidentify',
    description: 'The sequence number in RESUME or HEARTBEAT is ahead of what the server sent.',
  },
  4008: {
    name: 'RATE_LIMITED',
    action: 'resume',
    description: 'The client sent too fast. Resume after the reconnect delay.',
  },
  4009: {
    name: 'SESSION_TIMED_OUT',
    action: 'reidentify',
    description: 'No heartbeat within 2 × interval + 5 s; the session was removed.',
  },
  4010: {
    name: 'SLOW_CONSUMER',
    action: 'resume',
    description:
      'The client read too slowly: over the server’s send limit waited for it. The server drops the ' +
      'socket at once, so the client usually sees 1006. Resume; unacknowledged dispatches are replayed.',
  },
  4012: {
    name: 'INVALID_VERSION',
    action: 'stop',
    description: 'The `v` query parameter names no supported version.',
  },
  4014: {
    name: 'REMOVED',
    action: 'stop',
    description: 'The session was removed by the server (for example by an operator). Do not reconnect.',
  },
};

/** The action for any close code, including ones outside the table (1006 abnormal close → resume). */
export function closeAction(code: number): CloseAction {
  const info = (closeCodeTable as Record<number, CloseCodeInfo | undefined>)[code];
  return info?.action ?? 'resume';
}

/** Codes carried by ERROR (op 15) frames; the connection stays open. */
export const ErrorCode = {
  InvalidPayload: 'INVALID_PAYLOAD',
  RateLimited: 'RATE_LIMITED',
  ChannelFull: 'CHANNEL_FULL',
  UnknownChannel: 'UNKNOWN_CHANNEL',
  NotInVoice: 'NOT_IN_VOICE',
  PeerNotInChannel: 'PEER_NOT_IN_CHANNEL',
  InvalidTopic: 'INVALID_TOPIC',
  TooManyTopics: 'TOO_MANY_TOPICS',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodeDescriptions: Readonly<Record<ErrorCode, string>> = {
  INVALID_PAYLOAD:
    'The envelope was fine but `d` did not match the schema of its op; `message` names the field.',
  RATE_LIMITED: 'Too many requests of this kind; `retryAfterMs` says when to try again.',
  CHANNEL_FULL: 'The voice channel has reached its user limit.',
  UNKNOWN_CHANNEL: 'No channel with that id exists.',
  NOT_IN_VOICE: 'The request needs the session to be in a voice channel.',
  PEER_NOT_IN_CHANNEL: 'SIGNAL was addressed to a user who is not in the sender’s voice channel.',
  INVALID_TOPIC: 'A topic is not of the form `voice:<channelId>` for a known channel.',
  TOO_MANY_TOPICS: 'The connection would hold more than the topic limit.',
  INTERNAL: 'The server failed to carry out the request; it is safe to retry.',
};
