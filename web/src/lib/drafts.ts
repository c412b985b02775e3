/**
 * Unsaved edits, kept in localStorage until the server has them: a reload, a crash or a lost
 * connection before the save finished loses nothing typed.
 */
export type AnswerDraft = {
  in_practice: 'yes' | 'no' | 'n/a' | null;
  rating: number | null;
  notes: string;
  /** The answer's version the edit started from (null: there was no answer). */
  baseVersion: number | null;
  /** When the draft was last changed (ms): a save only clears the draft it sent. */
  editedAt: number;
};

const PREFIX = 'nqms.draft.';

const keyOf = (cycleId: string, code: string) => `${PREFIX}${cycleId}.${code}`;

export function readDraft(cycleId: string, code: string): AnswerDraft | null {
  const raw = localStorage.getItem(keyOf(cycleId, code));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as AnswerDraft;
  } catch {
    return null;
  }
}

export function writeDraft(cycleId: string, code: string, draft: AnswerDraft): void {
  localStorage.setItem(keyOf(cycleId, code), JSON.stringify(draft));
}

/** Forget the draft, unless it changed after ``editedAt`` (typed while saving). */
export function clearDraft(cycleId: string, code: string, editedAt?: number): void {
  const current = readDraft(cycleId, code);
  if (current && editedAt !== undefined && current.editedAt !== editedAt) return;
  localStorage.removeItem(keyOf(cycleId, code));
}

/** Item codes of the cycle with edits the server does not have yet. */
export function draftCodes(cycleId: string): string[] {
  const prefix = `${PREFIX}${cycleId}.`;
  const codes: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(prefix)) codes.push(key.slice(prefix.length));
  }
  return codes;
}
