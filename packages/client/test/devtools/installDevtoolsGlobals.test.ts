import { afterEach, describe, expect, it } from 'vitest';
import { installDevtoolsGlobals } from '../../src/devtools/installDevtoolsGlobals';
import type { GatewayConnection } from '../../src/gateway/GatewayConnection';
import { getLogLevel, setLogLevel } from '../../src/log/logger';
import type { VoiceSession } from '../../src/voice/VoiceSession';

describe('installDevtoolsGlobals', () => {
  afterEach(() => setLogLevel('warn'));

  it('puts miscord.voice / miscord.gateway / setLogLevel on the target and updates them in place', () => {
    const target: { miscord?: unknown } = {};
    const gateway = { id: 'g' } as unknown as GatewayConnection;
    const voice = { id: 'v' } as unknown as VoiceSession;
    const first = installDevtoolsGlobals(target, { gateway });
    expect(target.miscord).toBe(first);
    expect(first.gateway).toBe(gateway);
    expect(first.voice).toBeNull();
    const second = installDevtoolsGlobals(target, { voice });
    expect(second).toBe(first); // same object: a console reference keeps working
    expect(second.gateway).toBe(gateway);
    expect(second.voice).toBe(voice);
    second.setLogLevel('debug');
    expect(getLogLevel()).toBe('debug');
    expect(second.getLogLevel()).toBe('debug');
    installDevtoolsGlobals(target, { voice: null });
    expect(second.voice).toBeNull();
  });
});
