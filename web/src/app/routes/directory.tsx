import { DirectoryPage } from '@/features/directory/components/directory-page';

export default function DirectoryRoute() {
  return <DirectoryPage />;
}
