import { useEffect, useRef, useState } from 'react';

interface StreamVideoProps {
  readonly stream: MediaStream | null;
  readonly label: string;
  readonly testId: string;
  /** Shown until the first frame is decoded. */
  readonly waitingText?: string;
}

/**
 * 🖥️ A screen share's picture. Always muted: a share's audio plays through the voice output (its own
 * volume, silenced by deafen), never through the element.
 */
export function StreamVideo({
  stream,
  label,
  testId,
  waitingText = 'Waiting for the stream…',
}: StreamVideoProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [hasFrames, setHasFrames] = useState(false);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    setHasFrames(false);
    element.srcObject = stream;
    if (stream) element.play().catch(() => undefined); // muted: autoplay is allowed
    return () => {
      element.srcObject = null;
    };
  }, [stream]);

  return (
    <div className="stream-video">
      <video
        ref={video}
        className="stream-video__element"
        autoPlay
        playsInline
        muted
        aria-label={label}
        data-testid={testId}
        data-has-frames={hasFrames}
        onLoadedData={() => setHasFrames(true)}
      />
      {!hasFrames && <span className="stream-video__waiting">{waitingText}</span>}
    </div>
  );
}
