import { meterFraction } from '../state/audioSettings';

interface LevelMeterProps {
  /** Current input level, dBFS. */
  readonly levelDb: number;
  /** Voice activity threshold, dBFS; the meter turns green above it. */
  readonly thresholdDb: number;
}

export function LevelMeter({ levelDb, thresholdDb }: LevelMeterProps) {
  const level = meterFraction(levelDb);
  const threshold = meterFraction(thresholdDb);
  const active = levelDb >= thresholdDb;
  const valueDb = Math.round(Number.isFinite(levelDb) ? levelDb : -100);
  return (
    <div className="level-meter" data-testid="level-meter" data-active={active}>
      <meter className="visually-hidden" aria-label="Input level" min={-100} max={0} value={valueDb}>
        {valueDb} dB
      </meter>
      <div
        aria-hidden="true"
        className={`level-meter__fill${active ? ' level-meter__fill--active' : ''}`}
        style={{ width: `${level * 100}%` }}
      />
      <div aria-hidden="true" className="level-meter__threshold" style={{ left: `${threshold * 100}%` }} />
    </div>
  );
}
