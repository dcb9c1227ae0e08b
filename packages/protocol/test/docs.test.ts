/**
 * docs/protocol.md is checked against the code: every fenced JSON example is decoded with the
 * decoder its marker names, and the opcode, dispatch, error-code, close-code and limits tables
 * must say what the code says.
 */
import { readFileSync } from 'node:fs';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  CreateSessionBody,
  CreateSessionReply,
  clientPayloadSchemas,
  closeAction,
  closeCodeTable,
  DispatchEvent,
  decodeClientFrame,
  decodeServerFrame,
  defaultLimits,
  ErrorCode,
  HttpError,
  opName,
  ServerInfo,
  serverPayloadSchemas,
} from '../src/index';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

interface Example {
  readonly marker: string;
  readonly json: string;
  readonly line: number;
}

const examples: Example[] = [...doc.matchAll(/<!-- example: (.+?) -->\n```json\n([\s\S]*?)```/g)].map(
  (match) => ({
    marker: match[1]!,
    json: match[2]!,
    line: doc.slice(0, match.index).split('\n').length,
  }),
);

const httpSchemas: Record<string, TSchema> = { CreateSessionBody, CreateSessionReply, ServerInfo, HttpError };

/** Rows of the markdown table that follows `<!-- table: name -->`, cells trimmed, header and rule dropped. */
function table(name: string): string[][] {
  const start = doc.indexOf(`<!-- table: ${name} -->`);
  if (start < 0) throw new Error(`docs/protocol.md has no table "${name}"`);
  const lines = doc.slice(start).split('\n').slice(1);
  const rows: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2);
}

const unquote = (cell: string): string => cell.replace(/^`|`$/g, '');

describe('docs/protocol.md examples', () => {
  it('every ```json block carries an example marker', () => {
    expect(examples.length).toBe(doc.split('```json').length - 1);
    expect(examples.length).toBeGreaterThan(30);
  });

  it.each(examples)('line $line: $marker', ({ marker, json }) => {
    const [kind, ...rest] = marker.split(' ');
    if (kind === 'client') {
      const result = decodeClientFrame(json);
      expect(result.ok ? 'ok' : result.error).toBe('ok');
    } else if (kind === 'server') {
      const result = decodeServerFrame(json);
      expect(result.ok ? 'ok' : result.error).toBe('ok');
    } else if (kind === 'http') {
      const schema = httpSchemas[rest[0] ?? ''];
      expect(schema, `unknown HTTP schema ${rest[0]}`).toBeDefined();
      expect(Compile(schema!).Check(JSON.parse(json))).toBe(true);
    } else if (kind === 'invalid') {
      const outcome = /^client → (close (\d{4})|error ([A-Z_]+))$/.exec(rest.join(' '));
      expect(outcome, `marker "${marker}" names no outcome`).not.toBeNull();
      const result = decodeClientFrame(json);
      expect(result.ok).toBe(false);
      if (result.ok || !outcome) return;
      if (outcome[2]) expect(result.error).toMatchObject({ kind: 'close', closeCode: Number(outcome[2]) });
      else expect(result.error).toMatchObject({ kind: 'error', code: outcome[3] });
    } else {
      throw new Error(`unknown example marker "${marker}"`);
    }
  });

  it('shows every op and every dispatch event at least once', () => {
    const frames = examples
      .filter(({ marker }) => marker === 'client' || marker === 'server')
      .map(({ json }) => JSON.parse(json) as { op: number; t?: string });
    const ops = new Set(frames.map((frame) => frame.op));
    for (const op of [0, ...Object.keys(clientPayloadSchemas), ...Object.keys(serverPayloadSchemas)].map(
      Number,
    )) {
      expect(ops.has(op), `no example of op ${op} (${opName(op)})`).toBe(true);
    }
    const events = new Set(frames.map((frame) => frame.t));
    for (const t of Object.values(DispatchEvent)) expect(events.has(t), `no example of ${t}`).toBe(true);
  });

  it('quotes the decoder’s own messages', () => {
    const missingSdp = decodeClientFrame('{"op":5,"d":{"to":"u_bob","data":{"type":"offer"}}}');
    expect(
      !missingSdp.ok && missingSdp.error.kind === 'error' && doc.includes(`\`${missingSdp.error.message}\``),
    ).toBe(true);
    const badTopic = decodeClientFrame(
      '{"op":8,"d":{"id":"req-7","topics":["voice:c_lobby","text:c_lobby"]}}',
    );
    expect(
      !badTopic.ok && badTopic.error.kind === 'error' && doc.includes(JSON.stringify(badTopic.error.message)),
    ).toBe(true);
  });
});

describe('docs/protocol.md tables agree with the code', () => {
  it('opcodes: every op, its name and direction', () => {
    const clientOps = new Set(Object.keys(clientPayloadSchemas).map(Number));
    const serverOps = new Set([0, ...Object.keys(serverPayloadSchemas).map(Number)]);
    const rows = table('opcodes');
    expect(rows.map(([op]) => Number(op)).sort((a, b) => a - b)).toEqual(
      [...clientOps, ...serverOps].sort((a, b) => a - b),
    );
    for (const [op, name, direction] of rows) {
      expect(name).toBe(opName(Number(op)));
      expect(direction).toBe(clientOps.has(Number(op)) ? 'client → server' : 'server → client');
    }
  });

  it('dispatch events', () => {
    expect(
      table('dispatches')
        .map(([t]) => unquote(t!))
        .sort(),
    ).toEqual(Object.values(DispatchEvent).sort());
  });

  it('error codes', () => {
    expect(
      table('error-codes')
        .map(([code]) => unquote(code!))
        .sort(),
    ).toEqual(Object.values(ErrorCode).sort());
  });

  it('close codes: every code of closeCodeTable with its name and action, plus 1006', () => {
    const rows = table('close-codes');
    const documented = rows.map(([code]) => Number(code));
    expect(documented.filter((code) => code in closeCodeTable)).toEqual(
      Object.keys(closeCodeTable).map(Number),
    );
    expect(documented).toContain(1006);
    for (const [code, name, action] of rows) {
      const info = (closeCodeTable as Record<string, { name: string } | undefined>)[code!];
      if (info) expect(unquote(name!)).toBe(info.name);
      expect(action).toBe(closeAction(Number(code)));
    }
  });

  it('limits: every default, with its value', () => {
    const rows = table('limits');
    expect(rows.map(([name]) => unquote(name!)).sort()).toEqual(Object.keys(defaultLimits).sort());
    for (const [name, value] of rows) {
      const actual = defaultLimits[unquote(name!) as keyof typeof defaultLimits];
      if (typeof actual === 'number') expect(Number(value)).toBe(actual);
      else expect(value).toBe(`capacity ${actual.capacity}, refill ${actual.refillPerSecond}/s`);
    }
  });
});
