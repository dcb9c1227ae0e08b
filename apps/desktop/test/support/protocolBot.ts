import { GatewayOp, PROTOCOL_VERSION } from '@miscord/protocol';
import type { Page } from 'playwright-core';

/**
 * Another person on the gateway, driven from a plain page with the raw protocol (no Miscord UI): signs in,
 * identifies and sends VOICE_STATE_UPDATEs. Lets a test watch the app react to people coming and going.
 */
export interface ProtocolBot {
  readonly userId: string;
  setVoice(channelId: string | null, flags?: { selfMute?: boolean; selfDeaf?: boolean }): Promise<void>;
  disconnect(): Promise<void>;
}

interface BotWindow {
  __bot?: WebSocket;
}

export async function startProtocolBot(
  page: Page,
  serverUrl: string,
  displayName: string,
): Promise<ProtocolBot> {
  await page.goto(`${serverUrl}/healthz`);
  const userId = await page.evaluate(
    async ({ displayName, version, ops }) => {
      const reply = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName }),
      });
      if (!reply.ok) throw new Error(`sign-in failed: ${reply.status} ${await reply.text()}`);
      const { token } = (await reply.json()) as { token: string };
      const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws?v=${version}`);
      (window as BotWindow).__bot = socket;
      return await new Promise<string>((resolve, reject) => {
        socket.onmessage = (event) => {
          const frame = JSON.parse(String(event.data)) as {
            op: number;
            t?: string;
            d: { user?: { id: string } };
          };
          if (frame.op === ops.hello) {
            socket.send(
              JSON.stringify({
                op: ops.identify,
                d: { token, kind: 'web', version: 'bot', platform: 'test' },
              }),
            );
          } else if (frame.op === ops.dispatch && frame.t === 'READY' && frame.d.user) {
            resolve(frame.d.user.id);
          }
        };
        socket.onclose = (event) => reject(new Error(`bot socket closed ${event.code} ${event.reason}`));
      });
    },
    {
      displayName,
      version: PROTOCOL_VERSION,
      ops: { hello: GatewayOp.Hello, identify: GatewayOp.Identify, dispatch: GatewayOp.Dispatch },
    },
  );
  return {
    userId,
    async setVoice(channelId, flags = {}) {
      await page.evaluate(({ op, d }) => (window as BotWindow).__bot?.send(JSON.stringify({ op, d })), {
        op: GatewayOp.VoiceStateUpdate,
        d: { channelId, selfMute: flags.selfMute ?? false, selfDeaf: flags.selfDeaf ?? false },
      });
    },
    async disconnect() {
      await page.evaluate(() => (window as BotWindow).__bot?.close(1000, 'bot leaves'));
    },
  };
}
