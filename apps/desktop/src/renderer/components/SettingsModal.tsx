import { useEffect, useId, useRef } from 'react';
import type { AudioSettingsView, DeviceOption } from '../state/audioSettings';
import { CloseIcon } from './icons';
import { KeyBindingInput } from './KeyBindingInput';
import { LevelMeter } from './LevelMeter';
import { Toggle } from './Toggle';

export interface SettingsModalProps {
  readonly settings: AudioSettingsView;
  readonly inputs: readonly DeviceOption[];
  readonly outputs: readonly DeviceOption[];
  /** False where the browser cannot route audio to a chosen output (no `setSinkId`). */
  readonly canPickOutput: boolean;
  readonly inputLevelDb: number;
  readonly micTestActive: boolean;
  readonly onChange: (patch: Partial<AudioSettingsView>) => void;
  readonly onToggleMicTest: () => void;
  readonly onSignOut: () => void;
  readonly onClose: () => void;
}

/** Voice & video settings in a modal <dialog> (focus is trapped by the browser; Escape closes). */
export function SettingsModal(props: SettingsModalProps) {
  const {
    settings,
    inputs,
    outputs,
    canPickOutput,
    inputLevelDb,
    micTestActive,
    onChange,
    onToggleMicTest,
    onSignOut,
    onClose,
  } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = { input: useId(), output: useId(), volume: useId(), sensitivity: useId(), title: useId() };

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="settings"
      aria-labelledby={ids.title}
      data-testid="settings-modal"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="settings__header">
        <h2 id={ids.title} className="settings__title">
          Voice &amp; Audio
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close settings"
          data-testid="settings-close"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </header>

      <div className="settings__body">
        <div className="settings__row settings__row--two">
          <label className="field" htmlFor={ids.input}>
            <span className="field__label">Input device</span>
            <select
              id={ids.input}
              className="select"
              value={settings.inputDeviceId}
              data-testid="input-device"
              onChange={(event) => onChange({ inputDeviceId: event.currentTarget.value })}
            >
              {inputs.map((device) => (
                <option key={device.deviceId} value={device.deviceId}>
                  {device.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field" htmlFor={ids.output}>
            <span className="field__label">Output device</span>
            <select
              id={ids.output}
              className="select"
              value={settings.outputDeviceId}
              disabled={!canPickOutput}
              title={canPickOutput ? undefined : 'This browser plays audio on the default device only'}
              data-testid="output-device"
              onChange={(event) => onChange({ outputDeviceId: event.currentTarget.value })}
            >
              {outputs.map((device) => (
                <option key={device.deviceId} value={device.deviceId}>
                  {device.label}
                </option>
              ))}
            </select>
          </label>
        </div>

        <label className="field" htmlFor={ids.volume}>
          <span className="field__label">
            Input volume <output className="field__value">{settings.inputVolume}%</output>
          </span>
          <input
            id={ids.volume}
            className="range"
            type="range"
            min={0}
            max={200}
            step={5}
            value={settings.inputVolume}
            aria-valuetext={`${settings.inputVolume} percent`}
            data-testid="input-volume"
            onChange={(event) => onChange({ inputVolume: Number(event.currentTarget.value) })}
          />
        </label>

        <div className="settings__row settings__row--two">
          <div className="field">
            <span className="field__label">Mic test</span>
            <p className="field__help">Hear yourself through your output device.</p>
            <button
              type="button"
              className={micTestActive ? 'danger-button' : 'primary-button primary-button--small'}
              aria-pressed={micTestActive}
              data-testid="mic-test"
              onClick={onToggleMicTest}
            >
              {micTestActive ? 'Stop testing' : "Let's check"}
            </button>
          </div>
          <fieldset className="field radio-group">
            <legend className="field__label">Input mode</legend>
            <label className="radio-row">
              <input
                type="radio"
                name="input-mode"
                checked={settings.inputMode === 'voiceActivity'}
                data-testid="mode-voice-activity"
                onChange={() => onChange({ inputMode: 'voiceActivity' })}
              />
              Voice activity
            </label>
            <label className="radio-row">
              <input
                type="radio"
                name="input-mode"
                checked={settings.inputMode === 'pushToTalk'}
                data-testid="mode-push-to-talk"
                onChange={() => onChange({ inputMode: 'pushToTalk' })}
              />
              Push to talk
            </label>
          </fieldset>
        </div>

        {settings.inputMode === 'pushToTalk' ? (
          <div className="field">
            <span className="field__label">Push-to-talk key</span>
            <KeyBindingInput
              value={settings.pushToTalkKey}
              onChange={(pushToTalkKey) => onChange({ pushToTalkKey })}
            />
          </div>
        ) : (
          <label className="field" htmlFor={ids.sensitivity}>
            <span className="field__label">
              Input sensitivity <output className="field__value">{settings.sensitivityDb} dB</output>
            </span>
            <LevelMeter levelDb={inputLevelDb} thresholdDb={settings.sensitivityDb} />
            <input
              id={ids.sensitivity}
              className="range range--over-meter"
              type="range"
              min={-100}
              max={0}
              step={1}
              value={settings.sensitivityDb}
              aria-valuetext={`${settings.sensitivityDb} decibels`}
              data-testid="sensitivity"
              onChange={(event) => onChange({ sensitivityDb: Number(event.currentTarget.value) })}
            />
          </label>
        )}

        <h3 className="settings__section">Voice processing</h3>
        <Toggle
          label="Echo cancellation"
          checked={settings.echoCancellation}
          testId="echo-cancellation"
          onChange={(echoCancellation) => onChange({ echoCancellation })}
        />
        <Toggle
          label="Noise suppression"
          checked={settings.noiseSuppression}
          testId="noise-suppression"
          onChange={(noiseSuppression) => onChange({ noiseSuppression })}
        />
        <Toggle
          label="Automatic gain control"
          checked={settings.autoGainControl}
          testId="auto-gain-control"
          onChange={(autoGainControl) => onChange({ autoGainControl })}
        />
      </div>

      <footer className="settings__footer">
        <button type="button" className="link-button" data-testid="sign-out" onClick={onSignOut}>
          Sign out
        </button>
        <button type="button" className="primary-button primary-button--small" onClick={onClose}>
          Done
        </button>
      </footer>
    </dialog>
  );
}
