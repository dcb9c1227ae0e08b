/** What to do with an input or output device after `devicechange` (pure, unit-tested). */
export type DevicePlan =
  | { readonly action: 'none' }
  /** The preferred device vanished while in use: follow the system default and tell the user. */
  | { readonly action: 'fallback'; readonly lostDeviceId: string; readonly lostLabel: string }
  /** The preferred device is back: switch to it again. */
  | { readonly action: 'restore'; readonly deviceId: string }
  /** Following the default and the OS default changed: re-open to follow it. */
  | { readonly action: 'followDefault' };

export interface DeviceEntry {
  readonly deviceId: string;
  readonly label: string;
  readonly groupId?: string;
}

export function planDeviceChange(input: {
  readonly devices: readonly DeviceEntry[];
  /** What the user chose (`'default'` = follow the system). */
  readonly preferredId: string;
  readonly preferredLabel: string | null;
  /** What is in use now (`'default'` when following the system). */
  readonly activeId: string;
  /** Label of the `default` entry when the device was opened. */
  readonly defaultLabelAtOpen: string | null;
}): DevicePlan {
  const { devices, preferredId, activeId } = input;
  const present = (id: string) => devices.some((d) => d.deviceId === id);
  if (preferredId !== 'default') {
    if (activeId === preferredId && !present(preferredId))
      return {
        action: 'fallback',
        lostDeviceId: preferredId,
        lostLabel: input.preferredLabel ?? preferredId,
      };
    if (activeId !== preferredId && present(preferredId)) return { action: 'restore', deviceId: preferredId };
    if (activeId === preferredId) return { action: 'none' };
  }
  // following the system default
  const defaultEntry = devices.find((d) => d.deviceId === 'default');
  if (defaultEntry && input.defaultLabelAtOpen !== null && defaultEntry.label !== input.defaultLabelAtOpen)
    return { action: 'followDefault' };
  return { action: 'none' };
}
