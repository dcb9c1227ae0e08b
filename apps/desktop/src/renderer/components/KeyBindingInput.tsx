import { useEffect, useState } from 'react';
import { keyLabel } from '../state/audioSettings';

interface KeyBindingInputProps {
  readonly value: string | null;
  readonly onChange: (code: string | null) => void;
}

/** Push-to-talk key capture: press "Record", then the key. Escape cancels, Backspace clears. */
export function KeyBindingInput({ value, onChange }: KeyBindingInputProps) {
  const [recording, setRecording] = useState(false);

  useEffect(() => {
    if (!recording) return;
    const onKeyDown = (event: KeyboardEvent) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.code === 'Escape') {
        setRecording(false);
        return;
      }
      onChange(event.code === 'Backspace' ? null : event.code);
      setRecording(false);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [recording, onChange]);

  return (
    <div className="keybind">
      <span className="keybind__value" data-testid="ptt-key">
        {recording ? 'Press a key…' : value === null ? 'No key bound' : keyLabel(value)}
      </span>
      <button
        type="button"
        className={`secondary-button${recording ? ' secondary-button--recording' : ''}`}
        aria-label={
          recording
            ? 'Recording push-to-talk key; press a key or Escape to cancel'
            : 'Record push-to-talk key'
        }
        data-testid="ptt-record"
        onClick={() => setRecording((r) => !r)}
      >
        {recording ? 'Stop recording' : value === null ? 'Record keybind' : 'Edit keybind'}
      </button>
    </div>
  );
}
