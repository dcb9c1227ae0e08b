/**
 * Per-subsystem loggers with the emoji prefixes people search for in devtools:
 * 🔔 gateway, 🎙️ voice, 📊 stats, 📤/📥 sent/received, ❌ errors, ⚠️ warnings, ✅ success.
 * One level switch for all of them; the default ('warn') keeps a normal session quiet.
 */
export const LogLevel = {
  Debug: 'debug',
  Info: 'info',
  Warn: 'warn',
  Error: 'error',
  Silent: 'silent',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type Subsystem = 'gateway' | 'voice' | 'stats' | 'screen' | 'devtools';

export const subsystemPrefix: Readonly<Record<Subsystem, string>> = {
  gateway: '🔔',
  voice: '🎙️',
  stats: '📊',
  screen: '🖥️',
  devtools: '🛠️',
};

/** Where log lines go; `console` by default, replaceable in tests. */
export interface LogSink {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

let currentLevel: LogLevel = 'warn';
let sink: LogSink = console;

export function setLogLevel(level: LogLevel): void {
  if (!(level in rank)) throw new TypeError(`unknown log level ${JSON.stringify(level)}`);
  currentLevel = level;
}

export function getLogLevel(): LogLevel {
  return currentLevel;
}

export function setLogSink(next: LogSink): void {
  sink = next;
}

export function isLogEnabled(level: Exclude<LogLevel, 'silent'>): boolean {
  return rank[level] >= rank[currentLevel];
}

export interface Logger {
  readonly subsystem: Subsystem;
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  /** Info level with ✅. */
  success(message: string, ...details: unknown[]): void;
  /** Debug level with 📤. */
  sent(message: string, ...details: unknown[]): void;
  /** Debug level with 📥. */
  received(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export function createLogger(subsystem: Subsystem): Logger {
  const prefix = subsystemPrefix[subsystem];
  const line = (level: Exclude<LogLevel, 'silent'>, mark: string, message: string, details: unknown[]) => {
    if (!isLogEnabled(level)) return;
    sink[level](`${prefix}${mark ? ` ${mark}` : ''} ${message}`, ...details);
  };
  return {
    subsystem,
    debug: (message, ...details) => line('debug', '', message, details),
    info: (message, ...details) => line('info', '', message, details),
    success: (message, ...details) => line('info', '✅', message, details),
    sent: (message, ...details) => line('debug', '📤', message, details),
    received: (message, ...details) => line('debug', '📥', message, details),
    warn: (message, ...details) => line('warn', '⚠️', message, details),
    error: (message, ...details) => line('error', '❌', message, details),
  };
}
