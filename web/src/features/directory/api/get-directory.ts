import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { unwrap, type ApiClient, type Schemas } from '@/lib/api-client';
import { usePublicApi } from '@/lib/api-context';

export type QualityProgram = Schemas['QualityProgram'];

/** Where a page of the directory starts: the API's cursor, and how many matches of that API page were already shown. */
export type DirectoryCursor = { next: string | null; skip: number };

export type DirectoryQuery = { name: string; state: string; affiliateId: string };

export type DirectoryPage = { rows: QualityProgram[]; next: DirectoryCursor | null; searched: number };

/** Programs shown on one page. */
export const PAGE_SIZE = 20;
/** The API has no name search: a search reads pages of this size and keeps the matches... */
const SEARCH_LIMIT = 100;
/** ...up to this many API pages per page shown ("Next page" goes on from there). */
const SEARCH_PAGES = 10;

type FetchPage = (limit: number, next: string | null) => Promise<{ items: QualityProgram[]; next?: string | null }>;

/**
 * One page of the directory. Without a name, one API page. With one, the API's pages are read in
 * order and filtered by name until a page is full, the list ends, or SEARCH_PAGES were read;
 * the cursor remembers how many matches of the last API page were shown, so none is skipped.
 */
export async function readDirectoryPage(fetchPage: FetchPage, name: string, from: DirectoryCursor): Promise<DirectoryPage> {
  const needle = name.trim().toLowerCase();
  const rows: QualityProgram[] = [];
  let cursor: DirectoryCursor = from;
  let searched = 0;
  for (let read = 0; read < (needle ? SEARCH_PAGES : 1); read += 1) {
    const page = await fetchPage(needle ? SEARCH_LIMIT : PAGE_SIZE, cursor.next);
    searched += page.items.length;
    const matches = page.items.filter((p) => !needle || p.program_name.toLowerCase().includes(needle)).slice(cursor.skip);
    const room = PAGE_SIZE - rows.length;
    rows.push(...matches.slice(0, room));
    if (matches.length > room) return { rows, next: { next: cursor.next, skip: cursor.skip + room }, searched };
    if (!page.next) return { rows, next: null, searched };
    cursor = { next: page.next, skip: 0 };
    if (rows.length === PAGE_SIZE) break;
  }
  return { rows, next: cursor, searched };
}

export function directoryFetcher(api: ApiClient, query: DirectoryQuery): FetchPage {
  return async (limit, next) =>
    unwrap(
      await api.GET('/directory/quality-programs', {
        params: {
          query: {
            limit,
            next: next ?? undefined,
            state: query.state || undefined,
            affiliateId: query.affiliateId || undefined,
          },
        },
      }),
    );
}

export function useDirectoryPage(query: DirectoryQuery, from: DirectoryCursor) {
  const api = usePublicApi();
  return useQuery({
    queryKey: ['directory', query, from],
    placeholderData: keepPreviousData,
    queryFn: () => readDirectoryPage(directoryFetcher(api, query), query.name, from),
  });
}
