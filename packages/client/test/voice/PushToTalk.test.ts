import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushToTalk } from '../../src/voice/PushToTalk';

const key = (type: 'keydown' | 'keyup', code: string, repeat = false) =>
  Object.assign(new Event(type), { code, repeat });

describe('PushToTalk', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens while the key is held and closes after the release delay', () => {
    const target = new EventTarget();
    const changes: boolean[] = [];
    const ptt = new PushToTalk({ key: 'KeyV', releaseMs: 200, onChange: (a) => changes.push(a) });
    ptt.attach(target);
    target.dispatchEvent(key('keydown', 'KeyX'));
    expect(ptt.active).toBe(false);
    target.dispatchEvent(key('keydown', 'KeyV'));
    target.dispatchEvent(key('keydown', 'KeyV', true)); // auto-repeat ignored
    expect(changes).toEqual([true]);
    target.dispatchEvent(key('keyup', 'KeyV'));
    vi.advanceTimersByTime(199);
    expect(ptt.active).toBe(true);
    target.dispatchEvent(key('keydown', 'KeyV')); // pressed again within the delay: stays open
    target.dispatchEvent(key('keyup', 'KeyV'));
    vi.advanceTimersByTime(200);
    expect(changes).toEqual([true, false]);
    ptt.detach();
  });

  it('releases when the window loses focus, and detach stops listening', () => {
    const target = new EventTarget();
    const ptt = new PushToTalk({ key: 'KeyV', releaseMs: 0, onChange: () => undefined });
    ptt.attach(target);
    target.dispatchEvent(key('keydown', 'KeyV'));
    target.dispatchEvent(new Event('blur'));
    expect(ptt.active).toBe(false);
    ptt.detach();
    target.dispatchEvent(key('keydown', 'KeyV'));
    expect(ptt.active).toBe(false);
  });

  it('the global shortcut (setActive) works alongside the window key', () => {
    const ptt = new PushToTalk({ key: 'KeyV', releaseMs: 0, onChange: () => undefined });
    ptt.setActive(true);
    expect(ptt.active).toBe(true);
    ptt.setActive(false);
    expect(ptt.active).toBe(false);
  });
});
