/**
 * The few U.S. Web Design System components the app uses, as plain markup on USWDS's own CSS
 * (@uswds/uswds): the same classes and structure as the design system's reference HTML, with
 * no component JavaScript (the whole app stays within its 150 KB budget).
 */
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from 'react';

type Heading = 'h2' | 'h3';

export function Alert({
  type,
  heading,
  headingLevel: H,
  children,
  role,
}: {
  type: 'success' | 'warning' | 'error' | 'info';
  heading?: ReactNode;
  headingLevel: Heading;
  children?: ReactNode;
  role?: 'alert' | 'status';
}) {
  return (
    <div className={`usa-alert usa-alert--${type}`} role={role}>
      <div className="usa-alert__body">
        {heading ? <H className="usa-alert__heading">{heading}</H> : null}
        {children ? <div className="usa-alert__text">{children}</div> : null}
      </div>
    </div>
  );
}

export function Button({ className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return <button className={`usa-button ${className}`} {...props} />;
}

export function Label({ htmlFor, hint, children }: { htmlFor: string; hint?: string; children: ReactNode }) {
  return (
    <>
      <label className="usa-label" htmlFor={htmlFor}>
        {children}
      </label>
      {hint ? (
        <span className="usa-hint" id={`${htmlFor}-hint`}>
          {hint}
        </span>
      ) : null}
    </>
  );
}

export function TextInput({ id, hint, ...props }: InputHTMLAttributes<HTMLInputElement> & { id: string; hint?: boolean }) {
  return <input className="usa-input" id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...props} />;
}
