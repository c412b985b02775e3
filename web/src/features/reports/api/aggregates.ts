import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '@/lib/api-client';
import { useApi } from '@/lib/api-context';

export type Aggregate = Schemas['Aggregate'];
export type SectionAggregate = Schemas['SectionAggregate'];

/** The published instrument versions (the aggregates are kept per version). */
export function useInstruments() {
  const api = useApi();
  return useQuery({
    queryKey: ['instruments'],
    staleTime: Infinity,
    queryFn: async () => unwrap(await api.GET('/instruments')).items,
  });
}

/** An affiliate's aggregate over its programs' submitted cycles, for a year or `all`. */
export function useAffiliateAggregate(affiliateId: string, instrumentVersion: number | undefined, period: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['affiliates', affiliateId, 'aggregates', instrumentVersion, period],
    enabled: instrumentVersion !== undefined,
    queryFn: async () =>
      unwrap(
        await api.GET('/affiliates/{affiliateId}/aggregates', {
          params: { path: { affiliateId }, query: { instrumentVersion: instrumentVersion ?? 1, period } },
        }),
      ),
  });
}

type Counts = Pick<Schemas['ItemDistribution'], 'in_practice' | 'ratings'>;

/** A part's figures from its sections' item counts: the same rules as the API's per section. */
export function partFigures(sections: SectionAggregate[]): { average_rating: number | null; share_in_place: number | null } {
  const items: Counts[] = sections.flatMap((s) => s.items);
  let yes = 0;
  let no = 0;
  let rated = 0;
  let total = 0;
  for (const item of items) {
    yes += item.in_practice.yes ?? 0;
    no += item.in_practice.no ?? 0;
    for (const [rating, count] of Object.entries(item.ratings)) {
      rated += count;
      total += Number(rating) * count;
    }
  }
  return {
    average_rating: rated ? total / rated : null,
    share_in_place: yes + no ? yes / (yes + no) : null,
  };
}

export type NationalAggregate = Schemas['NationalAggregate'];
export type GridCell = Schemas['GridCell'];

/** The country's aggregate and the programs counted per affiliate (national staff, results grant). */
export function useNationalAggregate(instrumentVersion: number | undefined, period: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['aggregates', 'country', instrumentVersion, period],
    enabled: instrumentVersion !== undefined,
    queryFn: async () =>
      unwrap(await api.GET('/aggregates', { params: { query: { instrumentVersion: instrumentVersion ?? 1, period } } })),
  });
}
