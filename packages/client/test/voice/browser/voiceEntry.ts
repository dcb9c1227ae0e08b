/** Bundled with esbuild into the test page: one user = one GatewayConnection + one VoiceSession. */
import {
  DefaultReconnectPolicy,
  GatewayConnection,
  installDevtoolsGlobals,
  MemorySettingsStore,
  setLogLevel,
  VoiceSession,
} from '../../../src/index';

const events: string[] = [];

/** The device layer with a switch to unplug and replug a device (the edge; getUserMedia is real). */
class PluggableDevices extends EventTarget {
  readonly hidden = new Set<string>();
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    return navigator.mediaDevices.getUserMedia(constraints);
  }
  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return (await navigator.mediaDevices.enumerateDevices()).filter((d) => !this.hidden.has(d.deviceId));
  }
  unplug(deviceId: string): void {
    this.hidden.add(deviceId);
    this.dispatchEvent(new Event('devicechange'));
  }
  plug(deviceId: string): void {
    this.hidden.delete(deviceId);
    this.dispatchEvent(new Event('devicechange'));
  }
}

const devices = new PluggableDevices();

Object.assign(globalThis, {
  miscordTest: {
    events,
    devices,
    async start(url: string, token: string, channelId: string, pluggable = false): Promise<void> {
      setLogLevel((new URLSearchParams(location.search).get('log') as 'info' | null) ?? 'warn');
      const gateway = new GatewayConnection({
        url,
        getToken: () => token,
        reconnectPolicy: new DefaultReconnectPolicy({ delaysMs: [100, 200, 400], jitter: 0 }),
        client: { kind: 'web', version: 'test', platform: 'chromium' },
      });
      const voice = new VoiceSession({
        gateway,
        settingsStore: new MemorySettingsStore(),
        ...(pluggable ? { mediaDevices: devices as unknown as MediaDevices } : {}),
      });
      voice.on('deviceFallback', (f) => events.push(`fallback ${f.kind} ${f.lostDeviceId}`));
      voice.on('speaking', (userId, speaking) => events.push(`speaking ${userId} ${speaking}`));
      voice.on('stateChange', (_o, n) => events.push(`voice ${n.status}`));
      voice.on('peersChange', (peers) =>
        events.push(`peers [${peers.map((p) => `${p.userId}:${p.status}`).join(',')}]`),
      );
      gateway.on('stateChange', (_o, n) => events.push(`gateway ${n.status}`));
      installDevtoolsGlobals(globalThis, { voice, gateway });
      await gateway.connect();
      await voice.join(channelId);
    },
  },
});
