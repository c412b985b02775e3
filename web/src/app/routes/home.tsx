import { ProgramList } from '@/features/programs/components/program-list';

export function HomeRoute() {
  return <ProgramList />;
}
