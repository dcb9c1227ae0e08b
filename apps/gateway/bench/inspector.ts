import type { ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { withTimeout } from './concurrency';

/**
 * The V8 inspector of a child started with `--inspect=127.0.0.1:0`: its WebSocket URL is printed on
 * stderr ("Debugger listening on ws://…"). Used only to ask for a full garbage collection before RSS is
 * read, so memory per connection counts what the server keeps, not setup garbage V8 has not collected
 * yet. Only the HeapProfiler domain is used (no Debugger.enable, so no code is deoptimised).
 */
export function watchInspectorUrl(child: ChildProcess): () => string | undefined {
  let url: string | undefined;
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (url) return;
    text = (text + chunk.toString()).slice(-2_000);
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(text);
    if (match) url = match[1];
  });
  return () => url;
}

/** Run `HeapProfiler.collectGarbage` in the process behind `inspectorUrl`, then detach. */
export async function collectGarbage(inspectorUrl: string): Promise<void> {
  const socket = new WebSocket(inspectorUrl, { perMessageDeflate: false });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('open', () => {
          socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
        });
        socket.on('message', (data: Buffer) => {
          const reply = JSON.parse(data.toString()) as { id?: number; error?: { message: string } };
          if (reply.id !== 1) return;
          if (reply.error) reject(new Error(`collectGarbage: ${reply.error.message}`));
          else resolve();
        });
      }),
      30_000,
      'HeapProfiler.collectGarbage',
    );
  } finally {
    socket.close();
  }
}
