import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes, useLocation } from 'react-router';
import { useEffect } from 'react';
import { Layout } from '@/components/ui/layout';
import { Loading } from '@/components/ui/page';
import { useAuthState } from '@/lib/auth';
import { SignIn } from '@/features/auth/components/sign-in';
import { HomeRoute } from './routes/home';
import { ProgramRoute } from './routes/program';
import { CycleRoute } from './routes/cycle';
import { SectionRoute } from './routes/section';
import { ItemRoute } from './routes/item';

const SubmitRoute = lazy(() => import('./routes/submit'));
const EvidenceRoute = lazy(() => import('./routes/evidence'));
const ReviewsRoute = lazy(() => import('./routes/reviews'));
const ReviewRoute = lazy(() => import('./routes/review'));
const ItemReviewRoute = lazy(() => import('./routes/item-review'));
const PlanRoute = lazy(() => import('./routes/plan'));
const BadgesRoute = lazy(() => import('./routes/badges'));
const DirectoryRoute = lazy(() => import('./routes/directory'));
const ProgressRoute = lazy(() => import('./routes/progress'));
const NotificationsRoute = lazy(() => import('./routes/notifications'));
const AggregatesRoute = lazy(() => import('./routes/aggregates'));
const NationalAggregatesRoute = lazy(() => import('./routes/national-aggregates'));
const ResearchExportRoute = lazy(() => import('./routes/research-export'));
const EnrollRoute = lazy(() => import('./routes/enroll'));
const AffiliateStaffRoute = lazy(() => import('./routes/affiliate-staff'));
const ProgramStaffRoute = lazy(() => import('./routes/program-staff'));
const AffiliateSettingsRoute = lazy(() => import('./routes/affiliate-settings'));
const InvitationsRoute = lazy(() => import('./routes/invitations'));

/** Focus the page's main region after navigation, so keyboard and screen-reader users start there. */
function FocusOnNavigate() {
  const location = useLocation();
  useEffect(() => {
    document.getElementById('main-content')?.focus({ preventScroll: false });
  }, [location.pathname]);
  return null;
}

/** The public pages: no sign-in. */
const PUBLIC = new Set(['/directory']);

function Routed() {
  const auth = useAuthState();
  const location = useLocation();
  if (PUBLIC.has(location.pathname)) {
    return (
      <Suspense fallback={<Loading what="the page" />}>
        <DirectoryRoute />
      </Suspense>
    );
  }
  if (auth.status === 'starting') return <Loading what="your session" />;
  if (auth.status === 'signed-out') return <SignIn expired={auth.reason === 'expired'} />;
  return (
    <Suspense fallback={<Loading what="the page" />}>
      <Routes>
        <Route path="/" element={<HomeRoute />} />
        <Route path="/programs/:programId" element={<ProgramRoute />} />
        <Route path="/programs/:programId/evidence" element={<EvidenceRoute />} />
        <Route path="/cycles/:cycleId" element={<CycleRoute />} />
        <Route path="/cycles/:cycleId/sections/:letter" element={<SectionRoute />} />
        <Route path="/cycles/:cycleId/items/:code" element={<ItemRoute />} />
        <Route path="/cycles/:cycleId/submit" element={<SubmitRoute />} />
        <Route path="/reviews" element={<ReviewsRoute />} />
        <Route path="/cycles/:cycleId/review" element={<ReviewRoute />} />
        <Route path="/cycles/:cycleId/review/items/:code" element={<ItemReviewRoute />} />
        <Route path="/cycles/:cycleId/plan" element={<PlanRoute />} />
        <Route path="/programs/:programId/badges" element={<BadgesRoute />} />
        <Route path="/programs/:programId/progress" element={<ProgressRoute />} />
        <Route path="/settings/notifications" element={<NotificationsRoute />} />
        <Route path="/affiliates/:affiliateId/aggregates" element={<AggregatesRoute />} />
        <Route path="/aggregates" element={<NationalAggregatesRoute />} />
        <Route path="/research-exports" element={<ResearchExportRoute />} />
        <Route path="/affiliates/:affiliateId/programs/new" element={<EnrollRoute />} />
        <Route path="/affiliates/:affiliateId/staff" element={<AffiliateStaffRoute />} />
        <Route path="/programs/:programId/staff" element={<ProgramStaffRoute />} />
        <Route path="/affiliates/:affiliateId/settings" element={<AffiliateSettingsRoute />} />
        <Route path="/invitations" element={<InvitationsRoute />} />
        <Route path="*" element={<p>There is no such page.</p>} />
      </Routes>
    </Suspense>
  );
}

export function AppRouter() {
  return (
    <BrowserRouter>
      <FocusOnNavigate />
      <Layout>
        <Routed />
      </Layout>
    </BrowserRouter>
  );
}
