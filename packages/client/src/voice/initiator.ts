/**
 * Glare-free initiator choice: of two members, the one with the lexicographically smaller userId
 * creates the offer. Both sides compute the same answer from the same pair, so exactly one offers.
 */
export function isInitiator(selfUserId: string, remoteUserId: string): boolean {
  if (selfUserId === remoteUserId) throw new RangeError(`cannot connect user ${selfUserId} to itself`);
  return selfUserId < remoteUserId;
}

/** The initiating userId of a pair, for logs and tests. */
export function initiatorOf(a: string, b: string): string {
  return isInitiator(a, b) ? a : b;
}
