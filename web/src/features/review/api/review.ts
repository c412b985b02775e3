/** The affiliate's side of the review: the queue, item reviews, the reviewer, return, the meeting. */
import { useQuery } from '@tanstack/react-query';
import { ApiError, conflictOrThrow, unwrap, type ApiClient, type Schemas } from '@/lib/api-client';
import { useApi, useApiMutation } from '@/lib/api-context';

export type QueueRow = Schemas['QueueRow'];
export type Review = Schemas['Review'];
export type MeetingIn = Schemas['MeetingIn'];
export type MeetingView = Schemas['MeetingView'];
export type ItemReviewIn = Schemas['ItemReviewIn'];
export type QueueFilters = { state?: 'submitted' | 'in_review'; assignedToMe?: boolean; overdue?: boolean; affiliateId?: string };

const reviewKey = (cycleId: string) => ['cycles', cycleId, 'review'] as const;

export function useQueue(filters: QueueFilters) {
  const api = useApi();
  return useQuery({
    queryKey: ['reviews', filters],
    queryFn: async () =>
      unwrap(
        await api.GET('/reviews', {
          params: {
            query: {
              limit: 100,
              ...(filters.state ? { state: filters.state } : {}),
              ...(filters.assignedToMe ? { assignedToMe: true } : {}),
              ...(filters.overdue ? { overdue: true } : {}),
              ...(filters.affiliateId ? { affiliateId: filters.affiliateId } : {}),
            },
          },
        }),
      ).items,
  });
}

/** The whole review as affiliate staff read it (internal notes included). */
export function useAffiliateReview(cycleId: string) {
  const api = useApi();
  return useQuery({
    queryKey: reviewKey(cycleId),
    queryFn: async () => unwrap(await api.GET('/cycles/{cycleId}/review', { params: { path: { cycleId } } })),
  });
}

export type ItemReviewOutcome =
  | { kind: 'saved'; review: Schemas['ItemReview'] }
  | { kind: 'conflict'; current: Schemas['ItemReview'] | null };

/** PUT one item's review at the version read; a 409 gives the colleague's review. */
export async function saveItemReview(
  api: ApiClient,
  cycleId: string,
  itemCode: string,
  body: ItemReviewIn,
  version: number | null,
): Promise<ItemReviewOutcome> {
  const result = await api.PUT('/cycles/{cycleId}/review/items/{itemCode}', {
    params: { path: { cycleId, itemCode }, header: version === null ? {} : { 'if-match': `"${version}"` } },
    body,
  });
  if (result.data) return { kind: 'saved', review: result.data };
  return conflictOrThrow<Schemas['ItemReview']>(result);
}

function useReviewMutation<V, R>(cycleId: string, run: (api: ApiClient, vars: V) => Promise<R>) {
  return useApiMutation(run, [reviewKey(cycleId), ['cycles', cycleId, 'answers'], ['cycles', cycleId, 'plan'], ['reviews']]);
}

export function useSaveItemReview(cycleId: string, itemCode: string) {
  return useReviewMutation(cycleId, (api, v: { body: ItemReviewIn; version: number | null }) =>
    saveItemReview(api, cycleId, itemCode, v.body, v.version),
  );
}

export function useAssignReviewer(cycleId: string) {
  return useReviewMutation(cycleId, async (api, userId: string) =>
    unwrap(
      await api.PUT('/cycles/{cycleId}/review/reviewer', { params: { path: { cycleId } }, body: { user_id: userId } }),
    ),
  );
}

export function useReturnCycle(cycleId: string) {
  return useReviewMutation(cycleId, async (api, comment: string) =>
    unwrap(await api.POST('/cycles/{cycleId}/return', { params: { path: { cycleId } }, body: { comment } })),
  );
}

export function useScheduleMeeting(cycleId: string) {
  return useReviewMutation(cycleId, async (api, v: { body: MeetingIn; version: number | null }) =>
    v.version === null
      ? unwrap(await api.POST('/cycles/{cycleId}/review/meeting', { params: { path: { cycleId } }, body: v.body }))
      : unwrap(
          await api.PUT('/cycles/{cycleId}/review/meeting', {
            params: { path: { cycleId }, header: { 'if-match': `"${v.version}"` } },
            body: v.body,
          }),
        ),
  );
}

export function useCancelMeeting(cycleId: string) {
  return useReviewMutation(cycleId, async (api: ApiClient) =>
    unwrap(await api.POST('/cycles/{cycleId}/review/meeting/cancel', { params: { path: { cycleId } } })),
  );
}

export function useCompleteReview(cycleId: string) {
  return useReviewMutation(cycleId, async (api: ApiClient) =>
    unwrap(await api.POST('/cycles/{cycleId}/review/complete', { params: { path: { cycleId } } })),
  );
}

/** The meeting's calendar invite (a CANCEL once cancelled), fetched with the session and handed to the browser as a file. */
export async function downloadInvite(api: ApiClient, cycleId: string, filename = 'review-meeting.ics'): Promise<void> {
  const result = await api.GET('/cycles/{cycleId}/review/meeting.ics', {
    params: { path: { cycleId } },
    parseAs: 'blob',
  });
  if (!result.response.ok || !result.data) throw new ApiError(result.response.status, null);
  const url = URL.createObjectURL(result.data);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}
