import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { readDraft } from '@/lib/drafts';
import { Autosave, DEBOUNCE_MS, mergeNotes, problemOf } from './autosave';
import type { Answer } from './api/get-assessment';

const answer = (patch: Partial<Answer>): Answer => ({
  item_key: 'k',
  item_code: 'A1',
  in_practice: 'no',
  notes: null,
  rating: null,
  saved_at: '2026-12-07T10:42:00Z',
  saved_by: 'usr_1',
  version: 1,
  ...patch,
});

describe('Autosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the edit locally at once and saves it with the version read', async () => {
    const saver = vi.fn().mockResolvedValue({ kind: 'saved', answer: answer({ version: 4, notes: 'hi' }) });
    const autosave = new Autosave('cyc', 'A1', false, answer({ version: 3 }), saver, () => undefined);
    autosave.start();
    autosave.change({ notes: 'hi' });
    expect(readDraft('cyc', 'A1')?.notes).toBe('hi');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS + 10);
    expect(saver).toHaveBeenCalledWith({ in_practice: 'no', rating: null, notes: 'hi' }, 3);
    expect(autosave.getState().status.kind).toBe('saved');
    expect(readDraft('cyc', 'A1')).toBeNull();
    autosave.dispose();
  });

  it('a network failure keeps the draft, says so and retries', async () => {
    const saver = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(0, null))
      .mockResolvedValue({ kind: 'saved', answer: answer({ version: 1 }) });
    const autosave = new Autosave('cyc', 'A1', false, null, saver, () => undefined);
    autosave.start();
    autosave.change({ in_practice: 'no' });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS + 10);
    expect(autosave.getState().status).toMatchObject({ kind: 'failed' });
    expect(readDraft('cyc', 'A1')?.in_practice).toBe('no');
    await vi.advanceTimersByTimeAsync(1100);
    expect(saver).toHaveBeenCalledTimes(2);
    expect(autosave.getState().status.kind).toBe('saved');
    autosave.dispose();
  });

  it('a 409 shows both answers; keep mine saves again on top of theirs', async () => {
    const theirs = answer({ version: 2, notes: 'theirs' });
    const saver = vi
      .fn()
      .mockResolvedValueOnce({ kind: 'conflict', current: theirs })
      .mockResolvedValue({ kind: 'saved', answer: answer({ version: 3, notes: 'mine' }) });
    const autosave = new Autosave('cyc', 'A1', false, answer({ version: 1 }), saver, () => undefined);
    autosave.start();
    autosave.change({ notes: 'mine' });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS + 10);
    expect(autosave.getState().status).toMatchObject({ kind: 'conflict', theirs });
    autosave.resolve('mine');
    await vi.advanceTimersByTimeAsync(10);
    expect(saver).toHaveBeenLastCalledWith({ in_practice: 'no', rating: null, notes: 'mine' }, 2);
    autosave.dispose();
  });

  it('a draft left by a reload is restored and saved on start', async () => {
    localStorage.setItem(
      'nqms.draft.cyc.A1',
      JSON.stringify({ in_practice: 'no', rating: null, notes: 'before reload', baseVersion: null, editedAt: 1 }),
    );
    const saver = vi.fn().mockResolvedValue({ kind: 'saved', answer: answer({ notes: 'before reload' }) });
    const autosave = new Autosave('cyc', 'A1', false, null, saver, () => undefined);
    expect(autosave.getState().form.notes).toBe('before reload');
    autosave.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(saver).toHaveBeenCalledOnce();
    autosave.dispose();
  });
});

describe('rules of an answer', () => {
  it('yes needs a rating, n/a needs notes and an item that allows it', () => {
    expect(problemOf({ in_practice: 'yes', rating: null, notes: '' }, true)).toMatch(/rating/);
    expect(problemOf({ in_practice: 'n/a', rating: null, notes: '' }, true)).toMatch(/notes/);
    expect(problemOf({ in_practice: 'n/a', rating: null, notes: 'x' }, false)).toMatch(/not applicable/);
    expect(problemOf({ in_practice: 'no', rating: null, notes: '' }, false)).toBeNull();
  });

  it('merging notes keeps both, each once', () => {
    expect(mergeNotes('mine', 'theirs')).toBe('mine\n\ntheirs');
    expect(mergeNotes('mine and theirs', 'theirs')).toBe('mine and theirs');
    expect(mergeNotes('', 'theirs')).toBe('theirs');
  });
});
