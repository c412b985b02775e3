import { QueuePage } from '@/features/review/components/queue-page';

export default function ReviewsRoute() {
  return <QueuePage />;
}
