import { createContext, useContext } from 'react';
import type { ScreenMedia } from '../state/LiveSession';

/** 🖥️ The MediaStreams behind the screen-share views (the live session's, or a fixture's). */
export const ScreenMediaContext = createContext<ScreenMedia>({
  streamOf: () => null,
  localStream: () => null,
});

export const useScreenMedia = (): ScreenMedia => useContext(ScreenMediaContext);
