import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { fieldErrors } from './problems';

describe('fieldErrors', () => {
  it('names each field of a 422 by its last name, the first message kept', () => {
    const error = new ApiError(422, {
      detail: 'The meeting must start within 60 days before and 180 days after today.',
      field: 'body.start',
      errors: [
        { field: 'body.start', message: 'The meeting must start within 60 days before and 180 days after today.', code: 'out_of_range' },
        { field: 'body.attendees.staff[0]', message: 'Not a staff member of this program.', code: 'not_eligible' },
      ],
    });
    expect(fieldErrors(error)).toEqual({
      start: 'The meeting must start within 60 days before and 180 days after today.',
      'attendees.staff[0]': 'Not a staff member of this program.',
    });
  });

  it('takes a rule refusal naming one field, and nothing from other statuses', () => {
    const flag = new ApiError(422, { detail: 'A flagged item needs a note to the program.', field: 'body.note_to_program' });
    expect(fieldErrors(flag)).toEqual({ note_to_program: 'A flagged item needs a note to the program.' });
    expect(fieldErrors(new ApiError(409, { detail: 'x', field: 'body.start' }))).toEqual({});
    expect(fieldErrors(new Error('network'))).toEqual({});
  });
});
