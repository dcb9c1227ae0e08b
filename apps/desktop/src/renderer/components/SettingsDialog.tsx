import type { VoiceSession } from '@miscord/client';
import type { Store } from '../state/createStore';
import { useAudioSettings } from '../state/useAudioSettings';
import { SettingsModal } from './SettingsModal';

interface SettingsDialogProps {
  readonly voice: VoiceSession | null;
  readonly inputLevel: Store<number> | null;
  /** In a voice channel: the meter follows the voice session's microphone instead of its own capture. */
  readonly inVoice: boolean;
  readonly onSignOut: () => void;
  readonly onClose: () => void;
}

/** The settings modal wired to the voice session's settings, devices and input level. */
export function SettingsDialog({ voice, inputLevel, inVoice, onSignOut, onClose }: SettingsDialogProps) {
  const controller = useAudioSettings(voice, inputLevel, inVoice);
  return <SettingsModal {...controller} onSignOut={onSignOut} onClose={onClose} />;
}
