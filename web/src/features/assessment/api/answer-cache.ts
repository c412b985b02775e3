import type { QueryClient } from '@tanstack/react-query';
import { assessmentKey, type Answer, type Assessment } from './get-assessment';

/** The assessment with ``answer`` saved: the item's answer and the progress recounted. */
export function withAnswer(assessment: Assessment, answer: Answer): Assessment {
  const items = assessment.items.map((i) => (i.code === answer.item_code ? { ...i, answer } : i));
  const sections = assessment.progress.sections.map((s) => ({
    ...s,
    answered: items.filter((i) => i.section === s.letter && i.answer).length,
  }));
  return {
    ...assessment,
    items,
    progress: {
      ...assessment.progress,
      answered: items.filter((i) => i.answer).length,
      sections,
      resume_at: items.find((i) => !i.answer)?.code ?? null,
    },
  };
}

export function rememberAnswer(queryClient: QueryClient, cycleId: string, answer: Answer): void {
  queryClient.setQueryData<Assessment>(assessmentKey(cycleId), (old) => (old ? withAnswer(old, answer) : old));
  void queryClient.invalidateQueries({ queryKey: ['cycles', cycleId, 'readiness'] });
}
