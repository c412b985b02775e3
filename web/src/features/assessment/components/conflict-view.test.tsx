import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConflictView } from './conflict-view';

describe('ConflictView', () => {
  it('shows both answers side by side and reports the choice', async () => {
    const onChoose = vi.fn();
    render(
      <ConflictView
        mine={{ in_practice: 'yes', rating: 4, notes: 'my notes' }}
        theirs={{
          item_key: 'k',
          item_code: 'A1',
          in_practice: 'no',
          rating: null,
          notes: 'their notes',
          saved_at: '2026-12-07T10:00:00Z',
          saved_by: 'ana@example.org',
          version: 2,
        }}
        onChoose={onChoose}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Your answer' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: /Your colleague’s answer|Your colleague's answer/ })).toBeTruthy();
    expect(screen.getByText('my notes')).toBeTruthy();
    expect(screen.getByText('their notes')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Take theirs' }));
    expect(onChoose).toHaveBeenCalledWith('theirs');
  });
});
