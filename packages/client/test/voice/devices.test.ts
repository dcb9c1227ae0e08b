import { describe, expect, it } from 'vitest';
import { planDeviceChange } from '../../src/voice/devices';

const dev = (deviceId: string, label = deviceId) => ({ deviceId, label });

describe('planDeviceChange', () => {
  const base = { preferredLabel: 'USB Mic', defaultLabelAtOpen: 'Default - Built-in' };

  it('falls back to the default when the chosen device in use disappears', () => {
    expect(
      planDeviceChange({
        ...base,
        devices: [dev('default', 'Default - Built-in')],
        preferredId: 'usb',
        activeId: 'usb',
      }),
    ).toEqual({ action: 'fallback', lostDeviceId: 'usb', lostLabel: 'USB Mic' });
  });

  it('switches back when the chosen device returns', () => {
    expect(
      planDeviceChange({
        ...base,
        devices: [dev('default'), dev('usb')],
        preferredId: 'usb',
        activeId: 'default',
      }),
    ).toEqual({ action: 'restore', deviceId: 'usb' });
  });

  it('does nothing when the chosen device is in use and present, or another device comes and goes', () => {
    expect(
      planDeviceChange({
        ...base,
        devices: [dev('default'), dev('usb'), dev('other')],
        preferredId: 'usb',
        activeId: 'usb',
      }),
    ).toEqual({ action: 'none' });
  });

  it('follows the system default when its label changes', () => {
    expect(
      planDeviceChange({
        ...base,
        devices: [dev('default', 'Default - Headset')],
        preferredId: 'default',
        activeId: 'default',
      }),
    ).toEqual({ action: 'followDefault' });
    expect(
      planDeviceChange({
        ...base,
        devices: [dev('default', 'Default - Built-in')],
        preferredId: 'default',
        activeId: 'default',
      }),
    ).toEqual({ action: 'none' });
  });
});
