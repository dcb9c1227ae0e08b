/**
 * 🖥️ The per-peer gate of a share's media: `sendVideo` / `stopVideo` actions from watchers.ts become
 * `encodings[].active` on that peer's senders (watchers.ts explains why this mechanism). No renegotiation;
 * the encoder for a non-watcher is idle.
 */
import { changeParameters } from './senderQueue';
import type { SendAction } from './watchers';

/** The parts of an RTCRtpSender the gate touches (a real sender satisfies it). */
export interface GateSender {
  getParameters(): RTCRtpSendParameters;
  setParameters(parameters: RTCRtpSendParameters): Promise<void>;
}

/**
 * Turn one sender on or off. Resolves to false when there was nothing to change: already in that state, or
 * no encodings yet (before negotiation: the caller gates again once the connection is negotiated). Every
 * encoding moves together; the array's shape is kept, as `setParameters` requires.
 */
export function setSending(sender: GateSender, sending: boolean): Promise<boolean> {
  // After any change already in flight on this sender (senderQueue.ts): its state is what we compare to.
  return changeParameters(sender, async () => {
    const parameters = sender.getParameters();
    if (parameters.encodings.length === 0) return false;
    // `active` absent means true (the default of RTCRtpEncodingParameters).
    if (parameters.encodings.every((encoding) => (encoding.active ?? true) === sending)) return false;
    for (const encoding of parameters.encodings) encoding.active = sending;
    await sender.setParameters(parameters);
    return true;
  });
}

/**
 * Apply watcher actions to the share's senders of each peer (video, and screen audio when shared).
 * `sendersOf` returns an empty list for a peer that is gone. Failures are collected per peer, never thrown,
 * so one broken connection cannot stop the others from being gated.
 */
export async function applySendActions(
  actions: readonly SendAction[],
  sendersOf: (peer: string) => readonly GateSender[],
): Promise<Array<{ readonly peer: string; readonly error: unknown }>> {
  const failures: Array<{ peer: string; error: unknown }> = [];
  await Promise.all(
    actions.map(async ({ peer, action }) => {
      for (const sender of sendersOf(peer)) {
        try {
          await setSending(sender, action === 'sendVideo');
        } catch (error) {
          failures.push({ peer, error });
        }
      }
    }),
  );
  return failures;
}
