import type { VoiceSession } from '@miscord/client';
import { useMemo, useState } from 'react';
import { type Store, useStore } from '../state/createStore';
import type { ScreenMedia } from '../state/LiveSession';
import type { MainView } from '../state/viewTypes';
import { type MainActions, MainLayout } from './MainLayout';
import { ScreenMediaContext } from './ScreenMediaContext';
import { SettingsDialog } from './SettingsDialog';

interface MainScreenProps {
  readonly view: Store<MainView>;
  readonly voice: VoiceSession | null;
  readonly inputLevel: Store<number>;
  readonly actions: Omit<MainActions, 'openSettings'>;
  readonly media: ScreenMedia;
  readonly onSignOut: () => void;
}

/** The signed-in app: layout from the live view store, plus the settings modal when open. */
export function MainScreen({ view, voice, inputLevel, actions, media, onSignOut }: MainScreenProps) {
  const current = useStore(view);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const allActions = useMemo<MainActions>(
    () => ({ ...actions, openSettings: () => setSettingsOpen(true) }),
    [actions],
  );
  return (
    <ScreenMediaContext.Provider value={media}>
      <MainLayout view={current} actions={allActions} />
      {settingsOpen && (
        <SettingsDialog
          voice={voice}
          inputLevel={inputLevel}
          inVoice={current.self.channelId !== null}
          onSignOut={onSignOut}
          onClose={() => setSettingsOpen(false)}
        />
      )}
    </ScreenMediaContext.Provider>
  );
}
