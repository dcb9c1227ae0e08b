interface ToggleProps {
  readonly label: string;
  readonly description?: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly testId?: string;
  readonly disabled?: boolean;
}

/** A labelled on/off switch (a real checkbox with role="switch"). */
export function Toggle({ label, description, checked, onChange, testId, disabled = false }: ToggleProps) {
  return (
    <label className={`toggle${disabled ? ' toggle--disabled' : ''}`}>
      <span className="toggle__text">
        <span className="toggle__label">{label}</span>
        {description && <span className="toggle__description">{description}</span>}
      </span>
      <input
        type="checkbox"
        role="switch"
        className="toggle__input"
        checked={checked}
        aria-checked={checked}
        disabled={disabled}
        data-testid={testId}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <span className="toggle__track" aria-hidden="true" />
    </label>
  );
}
