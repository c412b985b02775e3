/** The admin screens' pure rules: what a settings form sends, and field errors people can read. */
import { fieldErrors } from '@/lib/problems';

export type SettingsForm = { contact_email: string; default_due_weeks: string; renewal_grace_months: string };
export type StoredSettings = { contact_email: string; default_due_weeks: number; renewal_grace_months?: number };
export type SettingsChange = { contact_email?: string; default_due_weeks?: number; renewal_grace_months?: number };

export const formOf = (s: StoredSettings): SettingsForm => ({
  contact_email: s.contact_email,
  default_due_weeks: String(s.default_due_weeks),
  renewal_grace_months: String(s.renewal_grace_months ?? 12),
});

/**
 * Only the fields the person changed (the API changes only the fields sent), compared with what was
 * read: a colleague's change to another field is kept. A number field that is not a whole number is
 * sent as typed for the API to refuse beside the field; an empty one is left out.
 */
export function changedSettings(read: StoredSettings, form: SettingsForm): SettingsChange {
  const change: SettingsChange = {};
  const email = form.contact_email.trim();
  if (email !== read.contact_email) change.contact_email = email;
  const number = (text: string) => (text.trim() === '' ? null : Number(text.trim()));
  const weeks = number(form.default_due_weeks);
  if (weeks !== null && weeks !== read.default_due_weeks) change.default_due_weeks = weeks;
  const grace = number(form.renewal_grace_months);
  if (grace !== null && grace !== (read.renewal_grace_months ?? 12)) change.renewal_grace_months = grace;
  return change;
}

/** The fields of ``change`` a colleague's save (``current``, compared with what was ``read``) also changed. */
export function clashes(read: StoredSettings, current: StoredSettings, change: SettingsChange): (keyof SettingsChange)[] {
  return (Object.keys(change) as (keyof SettingsChange)[]).filter(
    (k) => (k === 'renewal_grace_months' ? (read[k] ?? 12) !== (current[k] ?? 12) : read[k] !== current[k]),
  );
}

const READABLE: [RegExp, string][] = [
  [/^String should match pattern/, 'This is not in the expected form.'],
  [/^Input should be less than or equal to (\d+)/, 'At most $1.'],
  [/^Input should be greater than or equal to (\d+)/, 'At least $1.'],
  [/^String should have at least 1 character/, 'Required.'],
  [/^Field required/, 'Required.'],
  [/^Input should be a valid integer/, 'A whole number.'],
  [/^Input should be a valid date/, 'A date, like 2024-05-01.'],
];

/** The 422's field errors (``contact.email``: ...), worded for people rather than for developers. */
export function readableFieldErrors(error: unknown, hints: Record<string, string> = {}): Record<string, string> {
  const found = fieldErrors(error);
  for (const [field, message] of Object.entries(found)) {
    const rule = READABLE.find(([pattern]) => pattern.test(message));
    if (rule) {
      const [pattern, wording] = rule;
      const hint = hints[field];
      found[field] = message.replace(pattern, wording).replace(/^(.*?\.).*$/s, '$1') + (hint ? ` ${hint}` : '');
    }
  }
  return found;
}
