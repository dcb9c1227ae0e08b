/**
 * 🖥️ Parameter changes of one RTCRtpSender, one after another. `setParameters` applies asynchronously,
 * and until it resolves `getParameters` still returns the old values. Two changes in flight together
 * therefore both start from the old state: a gate that turns a watcher's encodings on while the gate of a
 * negotiation is still turning them off sees them "already on" and does nothing, and the off lands last
 * (the viewer gets no frames); an encoder limit written meanwhile is refused as a stale transaction or
 * overwritten. Each change here starts from what the previous one left.
 */
const tails = new WeakMap<object, Promise<unknown>>();

export function changeParameters<T>(sender: object, change: () => Promise<T>): Promise<T> {
  const previous = tails.get(sender) ?? Promise.resolve();
  // A failed change does not stop the ones queued after it (each caller sees its own failure).
  const run = previous.then(change, change);
  tails.set(
    sender,
    run.catch(() => undefined),
  );
  return run;
}
