import { type CreateSessionBody, CreateSessionReply, HttpError, ServerInfo } from '@miscord/protocol';
import { Value } from 'typebox/value';

/** Errors from the sign-in HTTP calls, with a code the UI can branch on and a message it can show. */
export type GatewayHttpErrorCode = 'UNREACHABLE' | 'BAD_REPLY' | 'REJECTED';

export class GatewayHttpError extends Error {
  override readonly name = 'GatewayHttpError';
  constructor(
    readonly code: GatewayHttpErrorCode,
    message: string,
    /** For REJECTED: the HTTP status and the server's error code, e.g. 403 / INVALID_INVITE. */
    readonly status?: number,
    readonly serverCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function request(fetchImpl: Fetch, url: string, init?: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (cause) {
    throw new GatewayHttpError(
      'UNREACHABLE',
      `Could not reach ${new URL(url).origin}.`,
      undefined,
      undefined,
      {
        cause,
      },
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new GatewayHttpError(
      'BAD_REPLY',
      `The server answered ${response.status} without JSON.`,
      response.status,
      undefined,
      {
        cause,
      },
    );
  }
  if (!response.ok) {
    const error = Value.Check(HttpError, body) ? body : null;
    throw new GatewayHttpError(
      'REJECTED',
      error?.message ?? `The server refused the request (${response.status}).`,
      response.status,
      error?.code,
    );
  }
  return body;
}

/** `GET /api/server`: name, version and whether an invite code is needed. */
export async function fetchServerInfo(serverUrl: string, fetchImpl: Fetch = fetch): Promise<ServerInfo> {
  const body = await request(fetchImpl, new URL('/api/server', serverUrl).href);
  if (!Value.Check(ServerInfo, body)) {
    throw new GatewayHttpError(
      'BAD_REPLY',
      'This does not look like a Miscord server (unexpected /api/server reply).',
    );
  }
  return body;
}

/** `POST /api/sessions`: a signed token for this display name. */
export async function createSession(
  serverUrl: string,
  session: CreateSessionBody,
  fetchImpl: Fetch = fetch,
): Promise<CreateSessionReply> {
  const body = await request(fetchImpl, new URL('/api/sessions', serverUrl).href, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(session),
  });
  if (!Value.Check(CreateSessionReply, body)) {
    throw new GatewayHttpError('BAD_REPLY', 'The server sent an unexpected sign-in reply.');
  }
  return body;
}
