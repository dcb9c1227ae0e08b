import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, getLogLevel, type LogLevel, setLogLevel, setLogSink } from '../../src/log/logger';

describe('logger', () => {
  afterEach(() => {
    setLogLevel('warn');
    setLogSink(console);
  });

  it('prefixes lines with the subsystem emoji and filters by the level switch', () => {
    const lines: string[] = [];
    const sink =
      (level: string) =>
      (...args: unknown[]) =>
        lines.push(`${level} ${String(args[0])}`);
    setLogSink({ debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') });
    const log = createLogger('gateway');
    expect(getLogLevel()).toBe('warn');
    log.info('hidden');
    log.debug('hidden');
    log.warn('careful');
    log.error('broken');
    setLogLevel('debug');
    log.sent('HEARTBEAT');
    log.received('READY');
    log.success('ready');
    createLogger('voice').info('mic open');
    setLogLevel('silent');
    log.error('not even this');
    expect(lines).toEqual([
      'warn 🔔 ⚠️ careful',
      'error 🔔 ❌ broken',
      'debug 🔔 📤 HEARTBEAT',
      'debug 🔔 📥 READY',
      'info 🔔 ✅ ready',
      'info 🎙️ mic open',
    ]);
  });

  it('refuses unknown levels', () => {
    expect(() => setLogLevel('loud' as LogLevel)).toThrow(TypeError);
  });
});
