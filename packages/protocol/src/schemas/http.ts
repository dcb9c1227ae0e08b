import { type Static, Type } from 'typebox';
import { DisplayName, User } from './common';

const strict = { additionalProperties: false } as const;

/**
 * The origin of the desktop app's renderer (`miscord://app/`, a privileged standard scheme). Its calls to the
 * HTTP API are cross-origin, so the gateway answers CORS for it (docs/protocol.md, section 11).
 */
export const DESKTOP_APP_ORIGIN = 'miscord://app';

/** POST /api/sessions */
export const CreateSessionBody = Type.Object(
  { displayName: DisplayName, inviteCode: Type.Optional(Type.String({ maxLength: 128 })) },
  strict,
);
export type CreateSessionBody = Static<typeof CreateSessionBody>;

export const CreateSessionReply = Type.Object(
  { token: Type.String(), user: User, expiresAt: Type.String({ format: 'date-time' }) },
  strict,
);
export type CreateSessionReply = Static<typeof CreateSessionReply>;

/** GET /api/server: what a client needs before signing in. */
export const ServerInfo = Type.Object(
  {
    name: Type.String(),
    version: Type.String(),
    protocolVersion: Type.Integer(),
    inviteRequired: Type.Boolean(),
  },
  strict,
);
export type ServerInfo = Static<typeof ServerInfo>;

/** Every HTTP error body: Fastify's shape plus a stable code. */
export const HttpError = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  code: Type.Optional(Type.String()),
  message: Type.String(),
});
export type HttpError = Static<typeof HttpError>;
