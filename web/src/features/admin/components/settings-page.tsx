import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, formatDate } from '@/components/ui/page';
import { useAffiliate } from '@/features/affiliate/api/affiliate';
import { affiliateIdsOf, useMe } from '@/features/me/api/get-me';
import { useMailSuppressions, useSaveAffiliateSettings, type Affiliate } from '../api/settings';
import { changedSettings, clashes, formOf, readableFieldErrors, type SettingsChange, type SettingsForm } from '../logic';
import { Field } from './field';

const LABELS: Record<keyof SettingsChange, string> = {
  contact_email: 'Contact email',
  default_due_weeks: 'Weeks to the due date',
  renewal_grace_months: 'Renewal grace period (months)',
};

const shown = (a: Affiliate, k: keyof SettingsChange) => String(a[k]);

/** A colleague saved first: their values beside mine for the fields both changed; keep mine or take theirs. */
function SettingsConflict({
  read,
  current,
  change,
  onKeepMine,
  onTakeTheirs,
}: {
  read: Affiliate;
  current: Affiliate;
  change: SettingsChange;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const both = clashes(read, current, change);
  return (
    <Alert type="warning" headingLevel="h2" heading="A colleague changed these settings while you were editing" role="alert">
      {both.length === 0 ? (
        <p>They changed other settings than yours. Keep yours to save them over their version, or take theirs.</p>
      ) : (
        <table className="usa-table usa-table--borderless nqms-table">
          <caption>Both of you changed</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Theirs (saved)</th>
              <th scope="col">Yours</th>
            </tr>
          </thead>
          <tbody>
            {both.map((k) => (
              <tr key={k}>
                <th scope="row">{LABELS[k]}</th>
                <td>{shown(current, k)}</td>
                <td>{String(change[k])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="nqms-item-nav">
        <Button type="button" onClick={onKeepMine}>
          Keep mine
        </Button>
        <Button type="button" className="usa-button--outline" onClick={onTakeTheirs}>
          Take theirs
        </Button>
      </div>
    </Alert>
  );
}

function SettingsFormSection({ affiliate, editable }: { affiliate: Affiliate; editable: boolean }) {
  const [read, setRead] = useState<Affiliate>(affiliate);
  const [form, setForm] = useState<SettingsForm>(() => formOf(affiliate));
  const [saved, setSaved] = useState<string | null>(null);
  const save = useSaveAffiliateSettings(affiliate.affiliate_id);
  const errors = readableFieldErrors(save.error, { contact_email: 'Like hello@mentor-affiliate.org.' });
  const conflict = save.data?.kind === 'conflict' ? save.data.current : null;
  const change = changedSettings(read, form);
  const send = (version: number) => {
    save.mutate(
      { body: change, version },
      {
        onSuccess: (outcome) => {
          if (outcome.kind === 'saved') {
            setRead(outcome.affiliate);
            setForm(formOf(outcome.affiliate));
            setSaved(new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
          }
        },
      },
    );
  };
  if (!editable) {
    return (
      <dl className="nqms-readonly" aria-label="Settings">
        <dt>{LABELS.contact_email}</dt>
        <dd>{affiliate.contact_email}</dd>
        <dt>{LABELS.default_due_weeks}</dt>
        <dd>{affiliate.default_due_weeks}</dd>
        <dt>{LABELS.renewal_grace_months}</dt>
        <dd>{affiliate.renewal_grace_months}</dd>
      </dl>
    );
  }
  return (
    <form
      className="usa-form usa-form--large"
      aria-label="Settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(null);
        send(read.version);
      }}
    >
      <Field
        id="settings-email"
        label={LABELS.contact_email}
        hint="The address programs and partners write to."
        type="email"
        error={errors.contact_email}
        value={form.contact_email}
        onChange={(e) => { setForm({ ...form, contact_email: e.target.value }); }}
      />
      <Field
        id="settings-weeks"
        label={LABELS.default_due_weeks}
        hint="A new cycle is due this many weeks after it opens (1 to 26)."
        type="number"
        inputMode="numeric"
        error={errors.default_due_weeks}
        value={form.default_due_weeks}
        onChange={(e) => { setForm({ ...form, default_due_weeks: e.target.value }); }}
      />
      <Field
        id="settings-grace"
        label={LABELS.renewal_grace_months}
        hint="When a program starts its next cycle before its badges expire, they stay valid (renewal in progress) for up to this many months past the badge's date (0 to 36; 12 unless you change it)."
        type="number"
        inputMode="numeric"
        error={errors.renewal_grace_months}
        value={form.renewal_grace_months}
        onChange={(e) => { setForm({ ...form, renewal_grace_months: e.target.value }); }}
      />
      {conflict ? (
        <SettingsConflict
          read={read}
          current={conflict}
          change={change}
          onKeepMine={() => {
            setRead(conflict);
            send(conflict.version);
          }}
          onTakeTheirs={() => {
            setRead(conflict);
            setForm(formOf(conflict));
            save.reset();
          }}
        />
      ) : (
        <Button type="submit" className="margin-top-3" disabled={save.isPending || Object.keys(change).length === 0}>
          Save the settings
        </Button>
      )}
      {saved ? (
        <p role="status" className="nqms-saved">
          Saved {saved}.
        </p>
      ) : null}
      {save.isError && Object.keys(errors).length === 0 ? <ActionError error={save.error} /> : null}
    </form>
  );
}

const REASON: Record<string, string> = { bounce: 'Bounced: the address cannot receive mail', complaint: 'Marked as spam' };

function Suppressions({ affiliateId }: { affiliateId: string }) {
  const list = useMailSuppressions(affiliateId);
  return (
    <section aria-labelledby="suppressions-heading">
      <h2 id="suppressions-heading">Mail suppressions</h2>
      <p>
        Addresses of your staff and your programs&apos; staff whose mail bounced or who marked it as spam: nothing more
        is emailed to them. Check the address with the person.
      </p>
      {list.isPending ? (
        <Loading what="the suppressed addresses" />
      ) : list.isError ? (
        <Failure error={list.error} />
      ) : list.data.length === 0 ? (
        <p role="status">No address is suppressed: every email goes out.</p>
      ) : (
        <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label="Suppressed addresses">
          <table className="usa-table usa-table--borderless usa-table--stacked nqms-table">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Why</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.email}>
                  <th scope="row" data-label="Address">
                    {s.email}
                  </th>
                  <td data-label="Why">{REASON[s.reason] ?? s.reason}</td>
                  <td data-label="Since">{formatDate(s.recorded_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** An affiliate's settings (its staff change them) and its suppressed mail addresses. */
export function SettingsPage({ affiliateId }: { affiliateId: string }) {
  const me = useMe();
  const affiliate = useAffiliate(affiliateId);
  if (me.isPending || affiliate.isPending) return <Loading what="the settings" />;
  if (me.isError) return <Failure error={me.error} />;
  if (affiliate.isError) return <Failure error={affiliate.error} />;
  const editable = affiliateIdsOf(me.data).includes(affiliateId);
  return (
    <Page title={`Settings of ${affiliate.data.name}`} caption={<Link to="/">{affiliate.data.name}</Link>}>
      <dl className="nqms-readonly">
        <dt>State</dt>
        <dd>{affiliate.data.state}</dd>
        <dt>Time zone</dt>
        <dd>{affiliate.data.time_zone}</dd>
      </dl>
      <h2>Settings</h2>
      <SettingsFormSection affiliate={affiliate.data} editable={editable} />
      {editable ? <Suppressions affiliateId={affiliateId} /> : null}
    </Page>
  );
}
