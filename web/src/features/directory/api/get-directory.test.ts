import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, readDirectoryPage, type QualityProgram } from './get-directory';

const row = (name: string): QualityProgram => ({
  program_name: name,
  affiliate_id: 'aff_00000000000000000001',
  affiliate_name: 'MENTOR Virginia',
  state: 'VA',
  level: 'step1',
  level_name: 'Initiated in NQMS',
  valid_until: '2029-12-06',
  verify_url: `https://api.example/verify/${name}`,
});

/** The API over ``names``: pages of ``limit`` with an index as the cursor. */
function api(names: string[]) {
  const calls: { limit: number; next: string | null }[] = [];
  const fetchPage = (limit: number, next: string | null) => {
    calls.push({ limit, next });
    const start = next ? Number(next) : 0;
    const end = start + limit;
    return Promise.resolve({ items: names.slice(start, end).map(row), next: end < names.length ? String(end) : null });
  };
  return { fetchPage, calls };
}

describe('readDirectoryPage', () => {
  it('without a name reads one API page per page shown', async () => {
    const { fetchPage, calls } = api(Array.from({ length: 45 }, (_, i) => `P${String(i).padStart(2, '0')}`));
    const first = await readDirectoryPage(fetchPage, '', { next: null, skip: 0 });
    expect(first.rows).toHaveLength(PAGE_SIZE);
    const third = await readDirectoryPage(fetchPage, '', { next: '40', skip: 0 });
    expect(third.rows.map((r) => r.program_name)).toEqual(['P40', 'P41', 'P42', 'P43', 'P44']);
    expect(third.next).toBeNull();
    expect(calls).toEqual([{ limit: PAGE_SIZE, next: null }, { limit: PAGE_SIZE, next: '40' }]);
  });

  it('with a name keeps the matches of several API pages and skips none between pages', async () => {
    // 250 programs; every tenth is a "Lantern": 25 matches over three API pages of 100.
    const names = Array.from({ length: 250 }, (_, i) => (i % 10 === 0 ? `Lantern ${i}` : `Other ${i}`));
    const { fetchPage } = api(names);
    const first = await readDirectoryPage(fetchPage, 'lantern', { next: null, skip: 0 });
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.next).not.toBeNull();
    const second = await readDirectoryPage(fetchPage, 'LANTERN', first.next ?? { next: null, skip: 0 });
    const shown = [...first.rows, ...second.rows].map((r) => r.program_name);
    expect(shown).toEqual(names.filter((n) => n.startsWith('Lantern')));
    expect(second.next).toBeNull();
  });
});
