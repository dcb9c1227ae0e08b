import { isIpcChannel } from '../shared/ipc';
import { isScreenIpcChannel } from '../shared/screenIpc';
import { isOwnUrl, type RendererSource } from './origins';

/** The frame behind an IPC message or a getDisplayMedia request, as main.ts reads it from Electron. */
export interface FrameFacts {
  /** The frame's URL; undefined when the frame is gone (navigated away or destroyed). */
  readonly url: string | undefined;
  readonly isMainFrame: boolean;
}

/** Whether a frame is the main frame of a page of our own origin (the main window or a screen pop-out). */
export function isOwnMainFrame(frame: FrameFacts, source: RendererSource): boolean {
  if (!frame.isMainFrame || frame.url === undefined) return false;
  return isOwnUrl(frame.url, source);
}

/**
 * IPC requests are answered only on the channels of the contract (src/shared/ipc.ts, src/shared/screenIpc.ts)
 * and only for frames of our own origin: a page that somehow navigated elsewhere, or a sub-frame, gets
 * nothing from the main process.
 */
export function isTrustedIpcSender(channel: unknown, sender: FrameFacts, source: RendererSource): boolean {
  if (!isIpcChannel(channel) && !isScreenIpcChannel(channel)) return false;
  return isOwnMainFrame(sender, source);
}
