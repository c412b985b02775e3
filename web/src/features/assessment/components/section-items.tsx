import { Link } from 'react-router';
import { Failure, Loading, Page } from '@/components/ui/page';
import { draftCodes } from '@/lib/drafts';
import { useAssessment } from '../api/get-assessment';

const SHORT: Record<string, string> = { yes: 'Yes', no: 'No', 'n/a': 'N/A' };

/** One section's items with their answers. */
export function SectionItems({ cycleId, letter }: { cycleId: string; letter: string }) {
  const assessment = useAssessment(cycleId);
  if (assessment.isPending) return <Loading what="the section" />;
  if (assessment.isError) return <Failure error={assessment.error} />;
  const section = assessment.data.progress.sections.find((s) => s.letter === letter);
  const items = assessment.data.items.filter((i) => i.section === letter);
  const unsaved = new Set(draftCodes(cycleId));
  return (
    <Page
      title={section ? `${letter}. ${section.title}` : `Section ${letter}`}
      caption={<Link to={`/cycles/${cycleId}`}>Self-assessment</Link>}
    >
      <p>
        {section?.answered ?? 0} of {section?.total ?? items.length} answered.
      </p>
      <ul className="nqms-task-list">
        {items.map((item) => (
          <li key={item.code}>
            <Link to={`/cycles/${cycleId}/items/${item.code}`}>
              <strong>{item.code}</strong> {item.prompt}
            </Link>
            <span className={`usa-tag nqms-tag ${item.answer ? 'nqms-tag--done' : 'nqms-tag--todo'}`}>
              {unsaved.has(item.code)
                ? 'Not saved'
                : item.answer
                  ? `${SHORT[item.answer.in_practice] ?? ''}${item.answer.rating ? ` · ${item.answer.rating}` : ''}`
                  : 'To do'}
            </span>
          </li>
        ))}
      </ul>
    </Page>
  );
}
