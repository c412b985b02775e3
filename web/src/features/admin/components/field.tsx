import type { InputHTMLAttributes, ReactNode } from 'react';

/** A USWDS form group: label, hint, the API's refusal beside the field (422), the input. */
export function Field({
  id,
  label,
  hint,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { id: string; label: ReactNode; hint?: ReactNode; error?: string }) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label${error ? ' usa-label--error' : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <span className="usa-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
      <input
        className={`usa-input${error ? ' usa-input--error' : ''}`}
        id={id}
        aria-describedby={described || undefined}
        aria-invalid={error ? true : undefined}
        {...input}
      />
    </div>
  );
}
