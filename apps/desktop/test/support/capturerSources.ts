import type { CapturerSource, NativeImageLike } from '../../src/main/screenSources';

/**
 * Stand-ins for what Electron's `desktopCapturer.getSources` returns, for tests that run without the binary.
 * A NativeImage stand-in: a width, and a data URL whose payload length follows the pixel count.
 */
export class FakeImage implements NativeImageLike {
  resizedTo: number | null = null;
  constructor(
    private readonly width: number,
    private readonly height = Math.round((width * 9) / 16),
    private readonly url?: string,
  ) {}
  isEmpty(): boolean {
    return this.width === 0;
  }
  getSize() {
    return { width: this.width, height: this.height };
  }
  resize(options: { width?: number }): NativeImageLike {
    this.resizedTo = options.width ?? null;
    const width = options.width ?? this.width;
    return new FakeImage(width, Math.round((this.height * width) / this.width));
  }
  toDataURL(): string {
    if (this.url !== undefined) return this.url;
    return `data:image/png;base64,${'A'.repeat(Math.ceil((this.width * this.height) / 4) * 4)}`;
  }
}

/** A capturer source with a 320-pixel thumbnail (and a 16-pixel icon for windows), as Electron lists it. */
export function capturerSource(
  id: string,
  name: string,
  extra: Partial<CapturerSource> = {},
): CapturerSource {
  return {
    id,
    name,
    display_id: id.startsWith('screen:') ? (id.split(':')[1] ?? '') : '',
    thumbnail: new FakeImage(320),
    appIcon: id.startsWith('window:') ? new FakeImage(16) : null,
    ...extra,
  };
}

/** A `PickerSource` as main sends it to the renderer (a window with a PNG thumbnail and no icon). */
export const pickerTile = {
  id: 'window:42:0',
  kind: 'window',
  name: 'Game',
  thumbnail: 'data:image/png;base64,iVBORw0KGgo=',
  appIcon: null,
  displayId: null,
} as const;
