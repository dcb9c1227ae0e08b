/**
 * 🖥️ A screen share in its own window ("Pop out"). The window is a page of our own origin
 * (`?popout=screen&user=<id>`, the only window.open the desktop app allows); its main.tsx boots nothing but
 * marks the body ready, and the opener puts a video element in it playing the stream it already has — no
 * second connection, no second decode path to set up.
 */

export const POPOUT_READY = 'ready';

export function isPopoutLocation(location: Pick<Location, 'search'>): boolean {
  return new URLSearchParams(location.search).get('popout') === 'screen';
}

export function popoutUrl(current: string, userId: string): string {
  const url = new URL(current);
  url.search = new URLSearchParams({ popout: 'screen', user: userId }).toString();
  url.hash = '';
  return url.href;
}

export interface Popout {
  readonly window: Window;
  close(): void;
}

/**
 * Open the window and show `stream` in it. Resolves null when the browser blocked the window or it was
 * closed before it loaded. `onClosed` runs once when the person closes it (not when `close()` is called).
 */
export async function openPopout(
  stream: MediaStream,
  options: { readonly userId: string; readonly title: string; readonly onClosed: () => void },
): Promise<Popout | null> {
  const popup = window.open(
    popoutUrl(window.location.href, options.userId),
    `miscord-screen-${options.userId}`,
    'popup,width=960,height=600',
  );
  if (!popup) return null;
  const deadline = Date.now() + 15_000;
  while (!popup.closed && Date.now() < deadline) {
    try {
      if (popup.document.body?.dataset.popout === POPOUT_READY) break;
    } catch {
      // still on the initial about:blank of another origin: wait
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (popup.closed || popup.document.body?.dataset.popout !== POPOUT_READY) {
    popup.close();
    return null;
  }
  const doc = popup.document;
  doc.title = options.title;
  const video = doc.createElement('video');
  video.className = 'popout__video';
  video.autoplay = true;
  video.muted = true;
  video.playsInline = true;
  video.dataset.testid = 'popout-video';
  video.srcObject = stream;
  doc.body.replaceChildren(video);
  video.play().catch(() => undefined);
  let closing = false;
  const watcher = setInterval(() => {
    if (!popup.closed) return;
    clearInterval(watcher);
    if (!closing) options.onClosed();
  }, 250);
  return {
    window: popup,
    close() {
      closing = true;
      clearInterval(watcher);
      video.srcObject = null;
      popup.close();
    },
  };
}
