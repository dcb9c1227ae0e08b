import { isOwnUrl, originOf, type RendererSource } from './origins';

/**
 * Permission decisions for the session. Only our own renderer, in its main frame, gets the three
 * permissions a voice app needs: the microphone (`media`, audio and video for a camera later), screen
 * capture (`display-capture`) and notifications. Every other permission and every other origin is refused.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set([
  'media',
  'display-capture',
  'notifications',
]);

export interface PermissionRequestFacts {
  readonly permission: string;
  /** The URL the requesting frame last loaded (`details.requestingUrl`). */
  readonly requestingUrl: string;
  readonly isMainFrame: boolean;
  /** For `media` requests: what is asked for (`audio`, `video`). */
  readonly mediaTypes?: readonly string[] | undefined;
}

export type PermissionDecision =
  | { readonly grant: true }
  | { readonly grant: false; readonly reason: string };

export function decidePermissionRequest(
  facts: PermissionRequestFacts,
  source: RendererSource,
): PermissionDecision {
  if (!GRANTED_PERMISSIONS.has(facts.permission)) {
    return { grant: false, reason: `permission ${facts.permission} is never granted` };
  }
  if (!isOwnUrl(facts.requestingUrl, source)) {
    return {
      grant: false,
      reason: `${facts.permission} requested by foreign origin ${originOf(facts.requestingUrl)}`,
    };
  }
  if (!facts.isMainFrame) return { grant: false, reason: `${facts.permission} requested by a sub-frame` };
  const unexpectedMedia = (facts.mediaTypes ?? []).filter((type) => type !== 'audio' && type !== 'video');
  if (unexpectedMedia.length > 0) {
    return { grant: false, reason: `unexpected media types ${unexpectedMedia.join(', ')}` };
  }
  return { grant: true };
}

/**
 * Synchronous permission checks (`navigator.permissions.query`, device enumeration with labels). The
 * requesting origin is what Chromium reports; an empty or foreign origin is refused.
 */
export function decidePermissionCheck(
  permission: string,
  requestingOrigin: string,
  source: RendererSource,
): boolean {
  if (!GRANTED_PERMISSIONS.has(permission)) return false;
  // Chromium passes an origin, sometimes with a trailing slash; compare origins, not strings.
  return originOf(requestingOrigin) === source.origin;
}
