import { defaultDeviceSettings, deviceKey, type VoiceSession } from '@miscord/client';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type AudioSettingsView, type DeviceOption, deviceOptions, meterLevelToDb } from './audioSettings';
import type { Store } from './createStore';
import { MicTest } from './MicTest';

export interface AudioSettingsController {
  readonly settings: AudioSettingsView;
  readonly inputs: readonly DeviceOption[];
  readonly outputs: readonly DeviceOption[];
  readonly canPickOutput: boolean;
  readonly inputLevelDb: number;
  readonly micTestActive: boolean;
  readonly onChange: (patch: Partial<AudioSettingsView>) => void;
  readonly onToggleMicTest: () => void;
}

/** `offlineInputVolume`: the slider's value when there is no voice session (it then drives the mic test only). */
function readSettings(
  voice: VoiceSession | null,
  offlineInputVolume: number,
  inputs: readonly DeviceOption[],
): AudioSettingsView {
  if (!voice) {
    return {
      inputDeviceId: 'default',
      outputDeviceId: 'default',
      inputVolume: offlineInputVolume,
      sensitivityDb: defaultDeviceSettings.speakingThresholdDb,
      inputMode: 'voiceActivity',
      pushToTalkKey: null,
      echoCancellation: defaultDeviceSettings.echoCancellation,
      noiseSuppression: defaultDeviceSettings.noiseSuppression,
      autoGainControl: defaultDeviceSettings.autoGainControl,
    };
  }
  const settings = voice.settings;
  const label =
    inputs.find((input) => input.deviceId === settings.inputDeviceId)?.label ?? settings.inputDeviceLabel;
  const device =
    settings.devices[deviceKey({ deviceId: settings.inputDeviceId, label })] ?? defaultDeviceSettings;
  return {
    inputDeviceId: settings.inputDeviceId,
    outputDeviceId: settings.outputDeviceId,
    inputVolume: settings.inputVolume,
    sensitivityDb: device.speakingThresholdDb,
    inputMode: settings.inputMode,
    pushToTalkKey: settings.pushToTalkKey,
    echoCancellation: device.echoCancellation,
    noiseSuppression: device.noiseSuppression,
    autoGainControl: device.autoGainControl,
  };
}

async function listDevices(
  voice: VoiceSession | null,
): Promise<{ inputs: DeviceOption[]; outputs: DeviceOption[] }> {
  const all = voice
    ? await voice.listDevices().then(({ inputs, outputs }) => [...inputs, ...outputs])
    : await navigator.mediaDevices.enumerateDevices();
  return { inputs: deviceOptions(all, 'audioinput'), outputs: deviceOptions(all, 'audiooutput') };
}

const noLevel = () => () => {};
const zero = () => 0;

/** The settings modal's state and actions over a VoiceSession (or defaults before voice exists). */
export function useAudioSettings(
  voice: VoiceSession | null,
  inputLevel: Store<number> | null,
  inVoice: boolean,
): AudioSettingsController {
  const [offlineInputVolume, setOfflineInputVolume] = useState(100);
  const [devices, setDevices] = useState<{ inputs: DeviceOption[]; outputs: DeviceOption[] }>({
    inputs: [{ deviceId: 'default', label: 'Default' }],
    outputs: [{ deviceId: 'default', label: 'Default' }],
  });
  const [version, setVersion] = useState(0);
  const [testLevelDb, setTestLevelDb] = useState(Number.NEGATIVE_INFINITY);
  const [meterLevelDb, setMeterLevelDb] = useState(Number.NEGATIVE_INFINITY);
  const [micTestActive, setMicTestActive] = useState(false);
  const micTest = useRef<MicTest | null>(null);
  const meter = useRef<MicTest | null>(null);
  const voiceLevel = useSyncExternalStore(inputLevel?.subscribe ?? noLevel, inputLevel?.getState ?? zero);

  useEffect(() => {
    let current = true;
    const refresh = () =>
      listDevices(voice).then(
        (found) => current && setDevices(found),
        (error: unknown) => console.warn('⚠️ could not list audio devices', error),
      );
    void refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => {
      current = false;
      navigator.mediaDevices?.removeEventListener('devicechange', refresh);
    };
  }, [voice]);

  useEffect(() => () => micTest.current?.stop(), []);

  // `version` re-reads voice.settings after each change (VoiceSession has no settings event).
  void version;
  const settings = readSettings(voice, offlineInputVolume, devices.inputs);
  const { inputDeviceId, echoCancellation, noiseSuppression, autoGainControl } = settings;
  // Read when the meter starts; later changes reach it through onChange (no new capture per slider step).
  const inputVolume = useRef(settings.inputVolume);
  inputVolume.current = settings.inputVolume;

  // Outside voice and outside the mic test, measure the microphone anyway so the sensitivity meter is live.
  // Like the voice session's, it measures after the input volume: what the sensitivity is compared with.
  useEffect(() => {
    if (inVoice || micTestActive) return;
    const level = new MicTest();
    meter.current = level;
    level
      .start({
        deviceId: inputDeviceId,
        echoCancellation,
        noiseSuppression,
        autoGainControl,
        volume: inputVolume.current,
        playback: false,
        onLevel: setMeterLevelDb,
      })
      .catch((error: unknown) => console.warn('⚠️ input level meter unavailable', error));
    return () => {
      level.stop();
      if (meter.current === level) meter.current = null;
      setMeterLevelDb(Number.NEGATIVE_INFINITY);
    };
  }, [inVoice, micTestActive, inputDeviceId, echoCancellation, noiseSuppression, autoGainControl]);

  const onChange = useCallback(
    (patch: Partial<AudioSettingsView>) => {
      if (patch.inputVolume !== undefined) {
        // The voice session applies it to what peers hear at once and remembers it; without one it only
        // drives the mic test and the meter.
        if (voice) voice.setInputVolume(patch.inputVolume);
        else setOfflineInputVolume(patch.inputVolume);
        micTest.current?.setVolume(patch.inputVolume);
        meter.current?.setVolume(patch.inputVolume);
      }
      if (voice) {
        const failed = (error: unknown) => console.error('❌ settings change failed', error);
        if (patch.inputDeviceId !== undefined) voice.setInputDevice(patch.inputDeviceId).catch(failed);
        if (patch.outputDeviceId !== undefined) voice.setOutputDevice(patch.outputDeviceId).catch(failed);
        if (patch.sensitivityDb !== undefined) voice.setSpeakingThreshold(patch.sensitivityDb);
        if (patch.inputMode !== undefined) voice.setInputMode(patch.inputMode);
        if (patch.pushToTalkKey !== undefined && patch.pushToTalkKey !== null)
          voice.setPushToTalkKey(patch.pushToTalkKey);
        const processing = {
          ...(patch.echoCancellation === undefined ? {} : { echoCancellation: patch.echoCancellation }),
          ...(patch.noiseSuppression === undefined ? {} : { noiseSuppression: patch.noiseSuppression }),
          ...(patch.autoGainControl === undefined ? {} : { autoGainControl: patch.autoGainControl }),
        };
        if (Object.keys(processing).length > 0)
          voice.setAudioProcessing(processing).then(() => setVersion((v) => v + 1), failed);
      }
      setVersion((v) => v + 1);
    },
    [voice],
  );

  const onToggleMicTest = useCallback(() => {
    if (micTest.current) {
      micTest.current.stop();
      micTest.current = null;
      setMicTestActive(false);
      setTestLevelDb(Number.NEGATIVE_INFINITY);
      return;
    }
    const test = new MicTest();
    micTest.current = test;
    setMicTestActive(true);
    test
      .start({
        deviceId: settings.inputDeviceId,
        echoCancellation: settings.echoCancellation,
        noiseSuppression: settings.noiseSuppression,
        autoGainControl: settings.autoGainControl,
        volume: settings.inputVolume,
        playback: true,
        onLevel: setTestLevelDb,
      })
      .catch((error: unknown) => {
        console.warn('⚠️ mic test could not start', error);
        if (micTest.current === test) {
          micTest.current = null;
          setMicTestActive(false);
        }
      });
  }, [settings]);

  return {
    settings,
    inputs: devices.inputs,
    outputs: devices.outputs,
    canPickOutput: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
    inputLevelDb: micTestActive ? testLevelDb : inVoice ? meterLevelToDb(voiceLevel) : meterLevelDb,
    micTestActive,
    onChange,
    onToggleMicTest,
  };
}
