import { PROTOCOL_VERSION } from '@miscord/protocol';

/** `http://host:port` → `ws://host:port/ws?v=1` (https → wss). */
export function gatewaySocketUrl(serverUrl: string): string {
  const url = new URL('/ws', serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = `?v=${PROTOCOL_VERSION}`;
  return url.href;
}
