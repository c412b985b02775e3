import { useAffiliates } from '../api/settings';

/** National staff narrow the queue to one affiliate (the API's `affiliateId`). */
export function AffiliateFilter({ value, onChange }: { value: string; onChange: (affiliateId: string) => void }) {
  const affiliates = useAffiliates();
  return (
    <div>
      <label className="usa-label" htmlFor="queue-affiliate">
        Affiliate
      </label>
      <select className="usa-select" id="queue-affiliate" value={value} onChange={(e) => { onChange(e.target.value); }}>
        <option value="">Every affiliate</option>
        {(affiliates.data ?? []).map((a) => (
          <option key={a.affiliate_id} value={a.affiliate_id}>
            {a.name}
          </option>
        ))}
      </select>
    </div>
  );
}
