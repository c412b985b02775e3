import { ResearchExportPage } from '@/features/reports/components/research-export-page';

export default function ResearchExportRoute() {
  return <ResearchExportPage />;
}
