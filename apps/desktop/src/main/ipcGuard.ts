import { isIpcChannel } from '../shared/ipc';
import { isOwnUrl, type RendererSource } from './origins';

/**
 * IPC requests are answered only for frames of our own origin: a page that somehow navigated elsewhere, or
 * a sub-frame, gets nothing from the main process.
 */
export function isTrustedIpcSender(
  channel: unknown,
  sender: { readonly url: string | undefined; readonly isMainFrame: boolean },
  source: RendererSource,
): boolean {
  if (!isIpcChannel(channel)) return false;
  if (!sender.isMainFrame || sender.url === undefined) return false;
  return isOwnUrl(sender.url, source);
}
