import type { ConnectionView } from '../state/viewTypes';

/** What the badge says for each connection status, and its colour. */
export function describeConnection(view: ConnectionView): {
  label: string;
  detail: string | null;
  tone: 'good' | 'warn' | 'bad';
} {
  switch (view.status) {
    case 'offline':
      return { label: 'Disconnected', detail: view.reason ?? null, tone: 'bad' };
    case 'connecting':
      return { label: 'Connecting', detail: null, tone: 'warn' };
    case 'reconnecting':
      return { label: `Reconnecting (attempt ${view.attempt})`, detail: null, tone: 'warn' };
    case 'online':
      return { label: 'Connected', detail: null, tone: 'good' };
    case 'rtcConnecting':
      return { label: 'RTC connecting', detail: view.channelName, tone: 'warn' };
    case 'voiceConnected':
      return { label: 'Voice connected', detail: view.channelName, tone: 'good' };
  }
}

function pingOf(view: ConnectionView): number | null {
  return 'pingMs' in view ? view.pingMs : null;
}

export function ConnectionBadge({ connection }: { readonly connection: ConnectionView }) {
  const { label, detail, tone } = describeConnection(connection);
  const ping = pingOf(connection);
  return (
    <div
      className={`connection-badge connection-badge--${tone}`}
      data-testid="connection-badge"
      data-status={connection.status}
      role="status"
    >
      <span className="connection-badge__dot" aria-hidden="true" />
      <span className="connection-badge__text">
        <span className="connection-badge__label">
          {/* Wrap before "(attempt n)", never inside it; the text stays "Reconnecting (attempt n)". */}
          {label.replace(/ \(.*$/, '')}
          {label.includes(' (') && (
            <>
              {' '}
              <span className="nowrap">{label.slice(label.indexOf('('))}</span>
            </>
          )}
        </span>
        {(detail !== null || ping !== null) && (
          <span className="connection-badge__detail">
            {detail}
            {detail !== null && ping !== null && ' · '}
            {ping !== null && (
              <span data-testid="ping" title="Round trip to the gateway">
                {Math.round(ping)} ms
              </span>
            )}
          </span>
        )}
      </span>
    </div>
  );
}
