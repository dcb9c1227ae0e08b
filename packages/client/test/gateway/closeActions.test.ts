import { CloseCode, closeAction, closeCodeTable } from '@miscord/protocol';
import { describe, expect, it } from 'vitest';
import { ClientCloseCode } from '../../src/gateway/WebSocketLike';

describe('close code → client action', () => {
  it('maps every code the gateway sends to the documented action', () => {
    expect(closeAction(CloseCode.Normal)).toBe('stop');
    expect(closeAction(CloseCode.GoingAway)).toBe('resume');
    expect(closeAction(CloseCode.UnknownError)).toBe('resume');
    expect(closeAction(CloseCode.DecodeError)).toBe('resume');
    expect(closeAction(CloseCode.NotAuthenticated)).toBe('reidentify');
    expect(closeAction(CloseCode.AuthenticationFailed)).toBe('stop');
    expect(closeAction(CloseCode.InvalidSeq)).toBe('reidentify');
    expect(closeAction(CloseCode.RateLimited)).toBe('resume');
    expect(closeAction(CloseCode.SessionTimedOut)).toBe('reidentify');
    expect(closeAction(CloseCode.InvalidVersion)).toBe('stop');
    expect(closeAction(CloseCode.Removed)).toBe('stop');
  });

  it('resumes after an abnormal close (1006) and any unlisted code', () => {
    expect(closeAction(1006)).toBe('resume');
    expect(closeAction(1011)).toBe('resume');
    expect(closeAction(4999)).toBe('resume');
  });

  it('has an entry for every CloseCode, and the client’s own codes stay outside the server table', () => {
    for (const code of Object.values(CloseCode))
      expect(closeCodeTable[code].action).toMatch(/resume|reidentify|stop/);
    for (const code of Object.values(ClientCloseCode)) {
      expect(code in closeCodeTable).toBe(false);
      expect(closeAction(code)).toBe('resume');
    }
  });
});
