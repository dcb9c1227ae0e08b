import { describe, expect, it } from 'vitest';
import {
  type CloseAction,
  CloseCode,
  closeAction,
  closeCodeTable,
  ErrorCode,
  errorCodeDescriptions,
} from '../src/index';

/** What a client does after each close code (docs/protocol.md, "Close codes"), written out by hand. */
const expectedActions: [number, CloseAction][] = [
  [1000, 'stop'],
  [1001, 'resume'],
  [4000, 'resume'],
  [4001, 'resume'],
  [4002, 'resume'],
  [4003, 'reidentify'],
  [4004, 'stop'],
  [4005, 'resume'],
  [4007, 'reidentify'],
  [4008, 'resume'],
  [4009, 'reidentify'],
  [4010, 'resume'],
  [4012, 'stop'],
  [4014, 'stop'],
];

describe('closeAction', () => {
  it.each(expectedActions)('%i → %s', (code, action) => {
    expect(closeAction(code)).toBe(action);
  });

  it('resumes after an abnormal close (1006: the socket dropped without a close frame)', () => {
    expect(closeAction(1006)).toBe('resume');
  });

  it('resumes after codes outside the table (proxies, 1011 server error, future codes)', () => {
    for (const code of [1005, 1011, 1012, 4006, 4999]) expect(closeAction(code)).toBe('resume');
  });

  it('the hand-written list covers the whole table', () => {
    expect(expectedActions.map(([code]) => code)).toEqual(Object.keys(closeCodeTable).map(Number));
  });
});

describe('closeCodeTable', () => {
  it.each(Object.entries(CloseCode))(
    '%s (%i) has a matching UPPER_SNAKE name and a description',
    (key, code) => {
      const info = closeCodeTable[code];
      expect(info.name).toBe(key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase());
      expect(info.description.length).toBeGreaterThan(10);
    },
  );

  it('uses only 1000, 1001 and the 4000–4999 range for application codes', () => {
    for (const code of Object.keys(closeCodeTable).map(Number)) {
      expect(code === 1000 || code === 1001 || (code >= 4000 && code <= 4999)).toBe(true);
    }
  });
});

describe('ErrorCode', () => {
  it.each(Object.values(ErrorCode))('%s has a description', (code) => {
    expect(errorCodeDescriptions[code].length).toBeGreaterThan(10);
  });
});
