import { useState } from 'react';
import type { PickerSource } from '../../shared/screenIpc';
import { ScreenIcon } from './icons';

interface SourcePickerProps {
  readonly sources: readonly PickerSource[];
  readonly selectedId: string | null;
  readonly onSelect: (sourceId: string) => void;
}

type Tab = 'screen' | 'window';

/**
 * 🖥️ The desktop app's picker (Electron has none of its own): screens and windows as thumbnails, in two
 * tabs. Real radio buttons: arrow keys move the choice, Enter in the dialog goes live.
 */
export function SourcePicker({ sources, selectedId, onSelect }: SourcePickerProps) {
  const [tab, setTab] = useState<Tab>(() =>
    sources.some((source) => source.kind === 'screen') ? 'screen' : 'window',
  );
  const shown = sources.filter((source) => source.kind === tab);
  const counts = {
    screen: sources.filter((s) => s.kind === 'screen').length,
    window: sources.filter((s) => s.kind === 'window').length,
  };

  return (
    <div className="source-picker">
      <div className="source-picker__tabs" role="tablist" aria-label="What to share">
        {(['screen', 'window'] as const).map((kind) => (
          <button
            key={kind}
            type="button"
            role="tab"
            aria-selected={tab === kind}
            className="source-picker__tab"
            data-testid={`source-tab-${kind}`}
            onClick={() => setTab(kind)}
          >
            {kind === 'screen' ? 'Screens' : 'Applications'} ({counts[kind]})
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="source-picker__empty">
          {tab === 'screen' ? 'No screen can be captured.' : 'No window can be captured right now.'}
        </p>
      ) : (
        <fieldset className="source-picker__grid">
          <legend className="visually-hidden">{tab === 'screen' ? 'Screens' : 'Applications'}</legend>
          {shown.map((source) => {
            const selected = source.id === selectedId;
            return (
              <label
                key={source.id}
                className={`source-tile${selected ? ' source-tile--selected' : ''}`}
                data-testid={`source-${source.id}`}
              >
                <input
                  type="radio"
                  name="screen-source"
                  className="visually-hidden"
                  value={source.id}
                  checked={selected}
                  onChange={() => onSelect(source.id)}
                />
                {source.thumbnail ? (
                  <img className="source-tile__thumb" src={source.thumbnail} alt="" />
                ) : (
                  <span className="source-tile__thumb source-tile__thumb--empty">
                    <ScreenIcon size={32} />
                  </span>
                )}
                <span className="source-tile__name">
                  {source.appIcon && <img className="source-tile__icon" src={source.appIcon} alt="" />}
                  {source.name}
                </span>
              </label>
            );
          })}
        </fieldset>
      )}
    </div>
  );
}
