import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, fetchServerInfo, GatewayHttpError } from '../../../src/renderer/state/gatewayHttp';

// A real HTTP server on 127.0.0.1:0 whose answers each test picks.
let server: Server;
let base: string;
let handler: (request: IncomingMessage, body: string, response: ServerResponse) => void = () => {};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => handler(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

describe('fetchServerInfo', () => {
  it('returns a valid /api/server reply', async () => {
    const info = { name: 'HQ', version: '0.1.0', protocolVersion: 1, inviteRequired: true };
    handler = (request, _body, response) =>
      request.url === '/api/server' ? json(response, 200, info) : json(response, 404, {});
    await expect(fetchServerInfo(base)).resolves.toEqual(info);
  });

  it('rejects replies that are not a Miscord server', async () => {
    handler = (_request, _body, response) => json(response, 200, { name: 'HQ' });
    await expect(fetchServerInfo(base)).rejects.toMatchObject({ code: 'BAD_REPLY' });
    handler = (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html>');
    };
    await expect(fetchServerInfo(base)).rejects.toMatchObject({ code: 'BAD_REPLY', message: /without JSON/ });
  });

  it('reports an unreachable server', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await fetchServerInfo(`http://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect(error).toMatchObject({
      code: 'UNREACHABLE',
      message: `Could not reach http://127.0.0.1:${port}.`,
    });
  });
});

describe('createSession', () => {
  it('posts the display name and invite code and returns the token', async () => {
    let received: unknown;
    const reply = {
      token: 't',
      user: { id: 'u1', displayName: 'Ada' },
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
    handler = (request, body, response) => {
      received = {
        method: request.method,
        url: request.url,
        type: request.headers['content-type'],
        body: JSON.parse(body),
      };
      json(response, 201, reply);
    };
    await expect(createSession(base, { displayName: 'Ada', inviteCode: 'abc' })).resolves.toEqual(reply);
    expect(received).toEqual({
      method: 'POST',
      url: '/api/sessions',
      type: 'application/json',
      body: { displayName: 'Ada', inviteCode: 'abc' },
    });
  });

  it('carries the server’s error message and code', async () => {
    handler = (_request, _body, response) =>
      json(response, 403, {
        statusCode: 403,
        error: 'Forbidden',
        code: 'INVALID_INVITE',
        message: 'Wrong invite code.',
      });
    await expect(createSession(base, { displayName: 'Ada' })).rejects.toMatchObject({
      code: 'REJECTED',
      status: 403,
      serverCode: 'INVALID_INVITE',
      message: 'Wrong invite code.',
    });
  });
});
