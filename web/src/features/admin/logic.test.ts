import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { changedSettings, clashes, formOf, readableFieldErrors } from './logic';

const stored = { contact_email: 'hello@mentor-va.example', default_due_weeks: 8, renewal_grace_months: 12 };

describe('changedSettings', () => {
  it('sends nothing when nothing changed', () => {
    expect(changedSettings(stored, formOf(stored))).toEqual({});
  });

  it('sends only the changed fields, numbers as numbers, the email trimmed', () => {
    expect(changedSettings(stored, { ...formOf(stored), renewal_grace_months: '6', contact_email: ' new@mentor-va.example ' })).toEqual({
      renewal_grace_months: 6,
      contact_email: 'new@mentor-va.example',
    });
  });

  it('reads a missing grace period as the default 12 months and leaves an emptied number out', () => {
    const old = { contact_email: 'a@b.example', default_due_weeks: 8 };
    expect(changedSettings(old, { contact_email: 'a@b.example', default_due_weeks: '', renewal_grace_months: '12' })).toEqual({});
  });

  it('sends a number that is not whole as typed, for the API to refuse beside the field', () => {
    expect(changedSettings(stored, { ...formOf(stored), default_due_weeks: '2.5' })).toEqual({ default_due_weeks: 2.5 });
  });
});

describe('clashes', () => {
  it('names only the fields both people changed', () => {
    const current = { ...stored, renewal_grace_months: 18, default_due_weeks: 8 };
    expect(clashes(stored, current, { renewal_grace_months: 6, contact_email: 'x@y.example' })).toEqual(['renewal_grace_months']);
    expect(clashes(stored, { ...stored, default_due_weeks: 10 }, { renewal_grace_months: 6 })).toEqual([]);
  });
});

describe('readableFieldErrors', () => {
  it('words pydantic messages for people, with a hint, keyed by the field under body', () => {
    const error = new ApiError(422, {
      status: 422,
      errors: [
        { field: 'body.contact.email', message: "String should match pattern '^[^@]+@...$'", code: 'string_pattern_mismatch' },
        { field: 'body.renewal_grace_months', message: 'Input should be less than or equal to 36', code: 'less_than_equal' },
      ],
    });
    expect(readableFieldErrors(error, { 'contact.email': 'Like name@program.org.' })).toEqual({
      'contact.email': 'This is not in the expected form. Like name@program.org.',
      renewal_grace_months: 'At most 36.',
    });
  });

  it("keeps a rule's own sentence (a single field named by the problem)", () => {
    const error = new ApiError(422, {
      status: 422,
      detail: 'matching_since is in the future: it is the date matching actually started.',
      field: 'body.matching_since',
    });
    expect(readableFieldErrors(error)).toEqual({
      matching_since: 'matching_since is in the future: it is the date matching actually started.',
    });
  });

  it('finds nothing in another error', () => {
    expect(readableFieldErrors(new ApiError(409, { status: 409 }))).toEqual({});
  });
});
