/**
 * Autosave of one item's answer: every change is kept locally at once (drafts.ts) and saved
 * shortly after with the version read (If-Match). A failed save (network, 5xx) keeps the text
 * and retries with backoff; a colleague's newer answer (409) stops and asks the person.
 */
import { ApiError } from '@/lib/api-client';
import { SignedOut } from '@/lib/session';
import { clearDraft, readDraft, writeDraft, type AnswerDraft } from '@/lib/drafts';
import type { Answer } from './api/get-assessment';
import type { AnswerIn, SaveOutcome } from './api/save-answer';

export type InPractice = 'yes' | 'no' | 'n/a';
export type AnswerForm = { in_practice: InPractice | null; rating: number | null; notes: string };

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'invalid'; message: string }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'failed'; message: string }
  | { kind: 'conflict'; mine: AnswerForm; theirs: Answer | null };

export type AutosaveState = { form: AnswerForm; status: SaveStatus; version: number | null };

export type Saver = (body: AnswerIn, version: number | null) => Promise<SaveOutcome>;

export const DEBOUNCE_MS = 700;
const RETRY_MS = [1000, 2000, 4000, 8000, 15000];

export function formOf(answer: Answer | null | undefined): AnswerForm {
  return {
    in_practice: answer?.in_practice ?? null,
    rating: answer?.rating ?? null,
    notes: answer?.notes ?? '',
  };
}

/** Why the form cannot be saved yet (null: it can). */
export function problemOf(form: AnswerForm, allowsNa: boolean): string | null {
  if (form.in_practice === null) return 'Choose whether the practice is in place.';
  if (form.in_practice === 'yes' && form.rating === null) return 'Choose a rating from 1 to 5 to save this answer.';
  if (form.in_practice === 'n/a' && !allowsNa) return 'This item cannot be answered “not applicable”.';
  if (form.in_practice === 'n/a' && form.notes.trim() === '') return 'Say in the notes why it does not apply.';
  return null;
}

export function bodyOf(form: AnswerForm): AnswerIn {
  const notes = form.notes.trim() === '' ? null : form.notes;
  return {
    in_practice: form.in_practice ?? 'no',
    rating: form.in_practice === 'yes' ? form.rating : null,
    notes,
  };
}

/** Both notes, each once: what "merge the notes" keeps. */
export function mergeNotes(mine: string, theirs: string): string {
  const a = mine.trim();
  const b = theirs.trim();
  if (!a) return b;
  if (!b || a.includes(b)) return a;
  if (b.includes(a)) return b;
  return `${a}\n\n${b}`;
}

export class Autosave {
  private state: AutosaveState;
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private editedAt = 0;
  private disposed = false;

  constructor(
    private readonly cycleId: string,
    private readonly code: string,
    private readonly allowsNa: boolean,
    server: Answer | null | undefined,
    private readonly saver: Saver,
    private readonly onSaved: (answer: Answer) => void,
  ) {
    const draft = readDraft(cycleId, code);
    if (draft) {
      this.editedAt = draft.editedAt;
      this.state = {
        form: { in_practice: draft.in_practice, rating: draft.rating, notes: draft.notes },
        version: draft.baseVersion,
        status: { kind: 'pending' },
      };
    } else {
      this.state = {
        form: formOf(server),
        version: server?.version ?? null,
        status: server ? { kind: 'saved', at: server.saved_at } : { kind: 'idle' },
      };
    }
  }

  /** Start: a draft left by a reload or a lost connection is saved now. */
  start(): void {
    this.disposed = false;
    if (this.state.status.kind === 'pending') this.schedule(0);
    window.addEventListener('online', this.onOnline);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.onOnline);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): AutosaveState => this.state;

  private set(patch: Partial<AutosaveState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => {
      l();
    });
  }

  private onOnline = () => {
    if (this.state.status.kind === 'failed') this.schedule(0);
  };

  private keepDraft(form: AnswerForm, version: number | null): void {
    this.editedAt = Date.now();
    const draft: AnswerDraft = { ...form, baseVersion: version, editedAt: this.editedAt };
    writeDraft(this.cycleId, this.code, draft);
  }

  /** The person changed something: keep it locally now, save it soon. */
  change(patch: Partial<AnswerForm>): void {
    if (this.state.status.kind === 'conflict') return;
    const form = { ...this.state.form, ...patch };
    if (form.in_practice !== 'yes') form.rating = null;
    this.keepDraft(form, this.state.version);
    this.set({ form, status: { kind: 'pending' } });
    this.schedule(DEBOUNCE_MS);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), ms);
  }

  /** Save now (Save and continue); true when the server has the answer or nothing is to save. */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    if (this.state.status.kind === 'pending' || this.state.status.kind === 'failed') await this.save();
    while (this.inFlight) await this.inFlight;
    const kind = this.state.status.kind;
    return kind === 'saved' || kind === 'idle';
  }

  retry(): void {
    this.failures = 0;
    this.schedule(0);
  }

  private async save(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const problem = problemOf(this.state.form, this.allowsNa);
    if (problem) {
      this.set({ status: this.state.form.in_practice === null ? { kind: 'idle' } : { kind: 'invalid', message: problem } });
      return;
    }
    const sent = this.state.form;
    const editedAt = this.editedAt;
    this.set({ status: { kind: 'saving' } });
    this.inFlight = this.send(sent, editedAt).finally(() => {
      this.inFlight = null;
    });
    await this.inFlight;
    if (this.again && !this.disposed) {
      this.again = false;
      await this.save();
    }
  }

  private async send(sent: AnswerForm, editedAt: number): Promise<void> {
    let outcome: SaveOutcome;
    try {
      outcome = await this.saver(bodyOf(sent), this.state.version);
    } catch (error) {
      this.failed(error);
      return;
    }
    this.failures = 0;
    if (outcome.kind === 'conflict') {
      clearTimeout(this.timer);
      this.again = false;
      this.set({ status: { kind: 'conflict', mine: this.state.form, theirs: outcome.current } });
      return;
    }
    const answer = outcome.answer;
    this.onSaved(answer);
    const changedMeanwhile = this.editedAt !== editedAt;
    clearDraft(this.cycleId, this.code, editedAt);
    if (changedMeanwhile) {
      // Typed while saving: the draft now starts from the version just saved.
      this.keepDraft(this.state.form, answer.version);
      this.set({ version: answer.version, status: { kind: 'pending' } });
      this.again = true;
    } else {
      this.set({ version: answer.version, status: { kind: 'saved', at: answer.saved_at } });
    }
  }

  private failed(error: unknown): void {
    if (error instanceof ApiError && !error.transient && error.status !== 401) {
      this.set({ status: { kind: 'invalid', message: error.message } });
      return;
    }
    const message =
      error instanceof SignedOut || (error instanceof ApiError && error.status === 401)
        ? 'Not saved: sign in again to save (your text is kept).'
        : error instanceof ApiError && error.status !== 0
          ? 'Not saved: the server had a problem. Retrying…'
          : 'Not saved: no connection. Retrying…';
    this.set({ status: { kind: 'failed', message } });
    if (!(error instanceof SignedOut)) {
      const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)] ?? 15000;
      this.failures += 1;
      if (!this.disposed) this.schedule(wait);
    }
  }

  /** The 409 choice. */
  resolve(choice: 'mine' | 'theirs' | 'merge'): void {
    const status = this.state.status;
    if (status.kind !== 'conflict') return;
    const theirs = status.theirs;
    const version = theirs?.version ?? null;
    if (choice === 'theirs') {
      clearDraft(this.cycleId, this.code);
      this.set({
        form: formOf(theirs),
        version,
        status: theirs ? { kind: 'saved', at: theirs.saved_at } : { kind: 'idle' },
      });
      return;
    }
    const form =
      choice === 'mine' ? status.mine : { ...status.mine, notes: mergeNotes(status.mine.notes, theirs?.notes ?? '') };
    this.keepDraft(form, version);
    this.set({ form, version, status: { kind: 'pending' } });
    this.schedule(0);
  }
}
