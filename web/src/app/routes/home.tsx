import { Failure, Loading } from '@/components/ui/page';
import { AffiliateHome } from '@/features/affiliate/components/affiliate-home';
import { isAffiliateStaff, useMe } from '@/features/me/api/get-me';
import { ProgramList } from '@/features/programs/components/program-list';
import { NationalHome, isNationalStaff } from '@/features/admin/components/national-home';

/** Affiliate staff start at their programs and queue; program staff at their program. */
export function HomeRoute() {
  const me = useMe();
  if (me.isPending) return <Loading what="your account" />;
  if (me.isError) return <Failure error={me.error} />;
  if (isNationalStaff(me.data)) return <NationalHome me={me.data} />;
  return isAffiliateStaff(me.data) ? <AffiliateHome me={me.data} /> : <ProgramList />;
}
