import type { ErrorCode } from '@miscord/protocol';

export const GatewayErrorCode = {
  /** The connection closed (or was never ready) before the request was answered. */
  NotConnected: 'NOT_CONNECTED',
  /** The gateway answered the request with ERROR; `serverCode` says why. */
  Rejected: 'REJECTED',
  /** The connection stopped for good (close action `stop`). */
  Closed: 'CLOSED',
  /** No answer in time. */
  Timeout: 'TIMEOUT',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  readonly serverCode: ErrorCode | undefined;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { serverCode?: ErrorCode; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.serverCode = options.serverCode;
  }
}
