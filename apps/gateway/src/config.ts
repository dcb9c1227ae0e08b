import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DESKTOP_APP_ORIGIN, IceServer, Space } from '@miscord/protocol';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';

/** The spaces/channels file named by MISCORD_CONFIG. */
export const GatewayConfigFile = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    spaces: Type.Optional(Type.Array(Space, { minItems: 1, maxItems: 100 })),
    iceServers: Type.Optional(Type.Array(IceServer, { maxItems: 16 })),
  },
  { additionalProperties: false },
);
export type GatewayConfigFile = Static<typeof GatewayConfigFile>;

export interface ChannelConfig {
  readonly spaces: Space[];
  readonly iceServers: IceServer[];
  readonly name: string;
}

export const defaultSpaces: Space[] = [
  {
    id: 'miscord',
    name: 'Miscord',
    channels: [
      { id: 'general', name: 'General', kind: 'voice', userLimit: 0 },
      { id: 'gaming', name: 'Gaming', kind: 'voice', userLimit: 10 },
      { id: 'afk', name: 'AFK', kind: 'voice', userLimit: 0 },
    ],
  },
];

/** A configuration problem: names the variable or file field that is wrong. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
}

const configValidator = Compile(GatewayConfigFile);

/** Validate a parsed config file; the error names the first wrong field. */
export function parseChannelConfig(value: unknown, source = 'config'): ChannelConfig {
  if (!configValidator.Check(value)) {
    const first = [...configValidator.Errors(value)][0];
    const path = first?.instancePath || '/';
    throw new ConfigError(`${source}: ${path} ${first?.message ?? 'does not match the schema'}`);
  }
  const file = value as GatewayConfigFile;
  const spaces = file.spaces ?? defaultSpaces;
  const seen = new Set<string>();
  for (const space of spaces) {
    for (const channel of space.channels) {
      if (seen.has(channel.id)) throw new ConfigError(`${source}: channel id "${channel.id}" is used twice`);
      seen.add(channel.id);
    }
  }
  return { spaces, iceServers: file.iceServers ?? [], name: file.name ?? 'Miscord' };
}

export function loadChannelConfig(path: string | undefined): ChannelConfig {
  if (!path) return parseChannelConfig({}, 'default config');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`MISCORD_CONFIG: cannot read ${path}: ${(cause as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`MISCORD_CONFIG: ${path} is not valid JSON: ${(cause as Error).message}`);
  }
  return parseChannelConfig(value, path);
}

/**
 * Origins whose pages may call the public HTTP API (`GET /api/server`, `POST /api/sessions`) cross-origin
 * with no configuration: the desktop app's renderer, and the renderer's Vite dev server on loopback
 * (`npm run dev -w @miscord/desktop`). The API takes no cookies and hands a token only to whoever asks
 * with a display name, so a loopback dev origin gains nothing a script on that machine could not get with
 * curl. MISCORD_CORS_ORIGINS adds more (a web client hosted elsewhere, a dev server on another port).
 */
export const defaultCorsOrigins: readonly string[] = [
  DESKTOP_APP_ORIGIN,
  'http://127.0.0.1:5173',
  'http://localhost:5173',
];

/** `scheme://host[:port]` of a bare http(s) origin as browsers send it in `Origin`, or null. */
function bareOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const bare =
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '';
  return bare ? url.origin : null;
}

/** MISCORD_CORS_ORIGINS: comma-separated http(s) origins (`https://chat.example.org, http://127.0.0.1:5174`). */
export function parseCorsOrigins(text: string | undefined): string[] {
  if (text === undefined) return [];
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry) => {
    if (entry === '*') throw new ConfigError('MISCORD_CORS_ORIGINS: "*" is not allowed; list each origin');
    const origin = bareOrigin(entry);
    if (origin === null) {
      throw new ConfigError(
        `MISCORD_CORS_ORIGINS: "${entry}" is not an origin (http(s)://host[:port], no path)`,
      );
    }
    return origin;
  });
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Everything server.ts reads from the environment. */
export interface EnvConfig {
  readonly port: number;
  readonly host: string;
  readonly redisUrl: string | undefined;
  readonly secret: string | undefined;
  readonly inviteCode: string | undefined;
  readonly adminToken: string | undefined;
  /** Origins allowed cross-origin on top of defaultCorsOrigins. */
  readonly corsOrigins: readonly string[];
  readonly configPath: string | undefined;
  readonly logLevel: LogLevel;
  readonly dataDir: string;
  readonly webRoot: string | undefined;
  readonly nodeId: string;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;

export function readEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): EnvConfig {
  const portText = nonEmpty(env.PORT) ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new ConfigError(`PORT must be an integer 0–65535, got "${portText}"`);
  }
  const logLevel = (nonEmpty(env.LOG_LEVEL) ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const redisUrl = nonEmpty(env.REDIS_URL);
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }
  const secret = nonEmpty(env.MISCORD_SECRET);
  if (secret !== undefined && secret.length < 16) {
    throw new ConfigError('MISCORD_SECRET must be at least 16 characters');
  }
  const nodeId =
    nonEmpty(env.MISCORD_NODE_ID) ??
    `${hostname()
      .replace(/[^A-Za-z0-9_.:-]/g, '-')
      .slice(0, 40)}-${randomBytes(3).toString('hex')}`;
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(nodeId)) {
    throw new ConfigError('MISCORD_NODE_ID must be 1–64 characters of A-Z a-z 0-9 _ . : -');
  }
  return {
    port,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    redisUrl,
    secret,
    inviteCode: nonEmpty(env.MISCORD_INVITE_CODE),
    adminToken: nonEmpty(env.MISCORD_ADMIN_TOKEN),
    corsOrigins: parseCorsOrigins(nonEmpty(env.MISCORD_CORS_ORIGINS)),
    configPath: nonEmpty(env.MISCORD_CONFIG),
    logLevel,
    dataDir: resolve(cwd, nonEmpty(env.MISCORD_DATA_DIR) ?? '.miscord-data'),
    webRoot: nonEmpty(env.MISCORD_WEB_ROOT),
    nodeId,
  };
}

export const secretFileName = (dataDir: string): string => join(dataDir, 'secret');
