import { ApiError } from './api-client';

/** The field errors of a 422 problem, by the field's last name (`body.start` -> `start`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 422 || !error.problem) return {};
  const found: Record<string, string> = {};
  const list = Array.isArray(error.problem.errors) ? (error.problem.errors as unknown[]) : [];
  for (const entry of list) {
    if (entry && typeof entry === 'object') {
      const { field, message, loc, msg } = entry as Record<string, unknown>;
      const name = typeof field === 'string' ? field : Array.isArray(loc) ? loc.join('.') : '';
      const text = typeof message === 'string' ? message : typeof msg === 'string' ? msg : '';
      const key = name.replace(/^body\./, '');
      if (key && text && !(key in found)) found[key] = text;
    }
  }
  const field = error.problem.field;
  if (typeof field === 'string' && !(field.replace(/^body\./, '') in found)) {
    found[field.replace(/^body\./, '')] = error.message;
  }
  return found;
}
