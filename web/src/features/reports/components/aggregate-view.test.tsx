import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '@/features/assessment/api/get-instrument';
import type { Aggregate } from '../api/aggregates';
import { AggregateView, WITHHELD, WITHHELD_CELL } from './aggregate-view';

const instrument = {
  key: 'nqms',
  version: 1,
  title: 'NQMS',
  item_count: 3,
  items: [],
  parts: [{ id: 'management', title: 'Program management' }],
  sections: [
    { letter: 'A', title: 'Governance', part: 'management' },
    { letter: 'B', title: 'Resources', part: 'management' },
  ],
} as unknown as Instrument;

const shown: Aggregate = {
  scope: 'aff_va',
  period: '2026',
  instrument_key: 'nqms',
  instrument_version: 1,
  withheld: false,
  programs: 6,
  cycles: 7,
  sections: [
    {
      letter: 'A',
      title: 'Governance',
      average_rating: 3.5,
      share_in_place: 0.8,
      items: [{ code: 'A1', key: 'a1', in_practice: { yes: 4, no: 1 }, ratings: { '3': 2, '4': 2 } }],
    },
    {
      letter: 'B',
      title: 'Resources',
      average_rating: null,
      share_in_place: 0,
      items: [{ code: 'B1', key: 'b1', in_practice: { no: 5 }, ratings: {} }],
    },
  ],
};

const cells = (letter: string) => within(screen.getByTestId(`section-${letter}`)).getAllByRole('cell').map((c) => c.textContent.trim());

describe('an affiliate aggregate', () => {
  it('shows each section figure, and the part over its sections', () => {
    render(<AggregateView aggregate={shown} instrument={instrument} />);
    expect(within(screen.getByTestId('aggregate-counts')).getByText('6')).toBeTruthy();
    expect(cells('A')).toEqual(['3.5', '80%']);
    expect(cells('B')).toEqual(['no rating', '0%']);
    // The part: 4 yes of 10 answered yes or no; ratings 3, 3, 4, 4.
    const total = within(screen.getByTestId('part-management-total')).getAllByRole('cell').map((c) => c.textContent.trim());
    expect(total).toEqual(['3.5', '40%']);
    expect(screen.queryByText(WITHHELD)).toBeNull();
    expect(screen.queryByText(WITHHELD_CELL)).toBeNull();
    expect(screen.getByRole('table', { name: 'Program management: per section' })).toBeTruthy();
  });

  it('says withheld in every cell of a withheld group, never a blank or a 0', () => {
    const withheld: Aggregate = { ...shown, withheld: true, reason: 'Withheld: fewer than 5 programs.', programs: null, cycles: null, sections: [] };
    render(<AggregateView aggregate={withheld} instrument={instrument} />);
    expect(cells('A')).toEqual([WITHHELD_CELL, WITHHELD_CELL]);
    expect(cells('B')).toEqual([WITHHELD_CELL, WITHHELD_CELL]);
    expect(screen.getByRole('table', { name: 'Program management: per section (withheld: fewer than 5 programs)' })).toBeTruthy();
    expect(within(screen.getByTestId('aggregate-counts')).getAllByText(WITHHELD)).toHaveLength(2);
    expect(screen.queryByText(/^0%?$/)).toBeNull();
  });
});
