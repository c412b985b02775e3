import { NationalAggregatePage } from '@/features/reports/components/national-aggregate-page';

export default function NationalAggregatesRoute() {
  return <NationalAggregatePage />;
}
