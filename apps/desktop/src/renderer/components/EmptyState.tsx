import { SpeakerIcon } from './icons';

/** The main area when I am not in a voice channel. */
export function EmptyState({
  spaceName,
  notice,
}: {
  readonly spaceName: string;
  readonly notice: string | null;
}) {
  return (
    <section className="empty-state" aria-label="Not in a voice channel">
      <div className="empty-state__icon" aria-hidden="true">
        <SpeakerIcon size={40} />
      </div>
      <h2 className="empty-state__title">Welcome to {spaceName}</h2>
      <p className="empty-state__text">Pick a voice channel on the left to start talking.</p>
      {notice !== null && (
        <p className="notice" role="alert">
          {notice}
        </p>
      )}
    </section>
  );
}
