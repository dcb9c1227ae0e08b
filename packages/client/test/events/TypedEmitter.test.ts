import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../src/events/TypedEmitter';

type Events = { ping: [n: number]; pair: [a: string, b: boolean] };

class Probe extends TypedEmitter<Events> {
  readonly errors: string[] = [];
  fire<K extends keyof Events>(event: K, ...args: Events[K]) {
    this.emit(event, ...args);
  }
  protected override onListenerError(event: string): void {
    this.errors.push(event);
  }
}

describe('TypedEmitter', () => {
  it('delivers typed arguments, unsubscribes, and runs once-listeners once', () => {
    const e = new Probe();
    const seen: string[] = [];
    const off = e.on('pair', (a, b) => seen.push(`${a}:${b}`));
    e.once('ping', (n) => seen.push(`once ${n}`));
    e.fire('pair', 'x', true);
    e.fire('ping', 1);
    e.fire('ping', 2);
    off();
    e.fire('pair', 'y', false);
    expect(seen).toEqual(['x:true', 'once 1']);
    expect(e.listenerCount('pair')).toBe(0);
  });

  it('a throwing listener does not stop the others', () => {
    const e = new Probe();
    let reached = false;
    e.on('ping', () => {
      throw new Error('boom');
    });
    e.on('ping', () => {
      reached = true;
    });
    e.fire('ping', 1);
    expect(reached).toBe(true);
    expect(e.errors).toEqual(['ping']);
  });
});
