import { GatewayConnection, type GatewayConnectionOptions } from './GatewayConnection';

let shared: GatewayConnection | null = null;

/**
 * The app's one gateway connection. Asking again returns the same instance (voice, presence and
 * chat all share it); a different URL (switching servers) closes the old one first, so there is
 * never a second socket.
 */
export function getGatewayConnection(options: GatewayConnectionOptions): GatewayConnection {
  if (shared && shared.url === options.url && shared.state.status !== 'closed') return shared;
  shared?.close('switching gateway');
  shared = new GatewayConnection(options);
  return shared;
}

/** The shared connection if one was created. */
export function currentGatewayConnection(): GatewayConnection | null {
  return shared;
}

/** Close and forget the shared connection (sign-out). */
export function closeGatewayConnection(reason = 'signed out'): void {
  shared?.close(reason);
  shared = null;
}
