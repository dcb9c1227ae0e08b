export type FindingSeverity = 'ok' | 'info' | 'warning' | 'error';

export interface AudioFinding {
  /** Stable id of the check, e.g. `microphone-permission`. */
  readonly check: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  /** What the user (or developer) can do; absent for `ok`. */
  readonly fix?: string;
  /** The peer a per-peer finding concerns. */
  readonly userId?: string;
}
