import { useParams } from 'react-router';
import { TaskList } from '@/features/assessment/components/task-list';

export function CycleRoute() {
  const { cycleId = '' } = useParams();
  return <TaskList cycleId={cycleId} />;
}
