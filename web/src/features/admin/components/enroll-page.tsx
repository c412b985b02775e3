import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page } from '@/components/ui/page';
import { useAffiliate } from '@/features/affiliate/api/affiliate';
import { affiliateIdsOf, useMe } from '@/features/me/api/get-me';
import { useEnrollProgram } from '../api/enroll';
import { useAffiliates } from '../api/settings';
import { readableFieldErrors } from '../logic';
import { Field } from './field';

const HINTS = { 'contact.email': 'Like name@program.org.', 'contact.phone': 'Digits, spaces, + ( ) - only.' };

/** The API takes at most this many secondary affiliates. */
const MOST_SECONDARY = 5;

/**
 * The other affiliates that may serve the program too: those the caller may list (GET /affiliates
 * gives affiliate staff only their own affiliates, so only someone on several affiliates' staff has
 * a choice; otherwise nothing is shown).
 */
function SecondaryAffiliates({
  primaryId,
  chosen,
  error,
  onChange,
}: {
  primaryId: string;
  chosen: string[];
  error?: string;
  onChange: (ids: string[]) => void;
}) {
  const affiliates = useAffiliates();
  const others = (affiliates.data ?? []).filter((a) => a.affiliate_id !== primaryId);
  if (others.length === 0) return null;
  return (
    <fieldset
      className={`usa-fieldset margin-top-4${error ? ' usa-form-group usa-form-group--error' : ''}`}
      aria-describedby={`enroll-secondary-hint${error ? ' enroll-secondary-error' : ''}`}
    >
      <legend className="usa-legend text-bold">Other affiliates serving the program (optional)</legend>
      <span className="usa-hint" id="enroll-secondary-hint">
        Their staff see the program and review its self-assessments too. At most {MOST_SECONDARY}; only affiliates you
        are staff of are listed.
      </span>
      {error ? (
        <span className="usa-error-message" id="enroll-secondary-error" role="alert">
          {error}
        </span>
      ) : null}
      {others.map((a) => {
        const id = `enroll-secondary-${a.affiliate_id}`;
        const checked = chosen.includes(a.affiliate_id);
        return (
          <div className="usa-checkbox" key={a.affiliate_id}>
            <input
              className="usa-checkbox__input"
              id={id}
              type="checkbox"
              checked={checked}
              disabled={!checked && chosen.length >= MOST_SECONDARY}
              onChange={(e) => {
                onChange(e.target.checked ? [...chosen, a.affiliate_id] : chosen.filter((c) => c !== a.affiliate_id));
              }}
            />
            <label className="usa-checkbox__label" htmlFor={id}>
              {a.name}
              <span className="usa-checkbox__label-description">{a.state}</span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** Enroll a program for the affiliate (its staff): the API's refusals beside each field. */
export function EnrollPage({ affiliateId }: { affiliateId: string }) {
  const me = useMe();
  const affiliate = useAffiliate(affiliateId);
  const enroll = useEnrollProgram();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', matching_since: '', contact_name: '', contact_email: '', contact_phone: '' });
  const [secondary, setSecondary] = useState<string[]>([]);
  if (me.isPending || affiliate.isPending) return <Loading what="the affiliate" />;
  if (me.isError) return <Failure error={me.error} />;
  if (affiliate.isError) return <Failure error={affiliate.error} />;
  const errors = readableFieldErrors(enroll.error, HINTS);
  const shownElsewhere = Object.keys(errors).length > 0;
  const set = (patch: Partial<typeof form>) => { setForm({ ...form, ...patch }); };
  const back = <Link to="/">{affiliate.data.name}</Link>;
  if (!affiliateIdsOf(me.data).includes(affiliateId)) {
    return (
      <Page title="Enroll a program" caption={back}>
        <p>Only {affiliate.data.name}&apos;s own staff enroll its programs.</p>
      </Page>
    );
  }
  return (
    <Page title="Enroll a program" caption={back}>
      <p>
        The program is enrolled with {affiliate.data.name} as its primary affiliate. Then invite its staff from the
        program&apos;s page; they answer the self-assessment once you open a cycle.
      </p>
      <form
        className="usa-form usa-form--large"
        aria-label="Enroll a program"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          enroll.mutate(
            {
              name: form.name.trim(),
              matching_since: form.matching_since,
              primary_affiliate_id: affiliateId,
              secondary_affiliate_ids: secondary,
              contact: {
                name: form.contact_name.trim(),
                email: form.contact_email.trim(),
                phone: form.contact_phone.trim() || null,
              },
            },
            { onSuccess: (program) => { void navigate(`/programs/${program.program_id}`); } },
          );
        }}
      >
        <Field id="enroll-name" label="Program name" error={errors.name} value={form.name} onChange={(e) => { set({ name: e.target.value }); }} />
        <Field
          id="enroll-matching"
          label="Matching mentors and mentees since"
          hint="When the program started matching mentors with mentees. Under a year ago, opening a cycle warns that it may not be ready."
          type="date"
          error={errors.matching_since}
          value={form.matching_since}
          onChange={(e) => { set({ matching_since: e.target.value }); }}
        />
        <fieldset className="usa-fieldset margin-top-4">
          <legend className="usa-legend text-bold">The program&apos;s contact</legend>
          <Field id="enroll-contact-name" label="Name" error={errors['contact.name']} value={form.contact_name} onChange={(e) => { set({ contact_name: e.target.value }); }} />
          <Field
            id="enroll-contact-email"
            label="Email"
            type="email"
            error={errors['contact.email']}
            value={form.contact_email}
            onChange={(e) => { set({ contact_email: e.target.value }); }}
          />
          <Field
            id="enroll-contact-phone"
            label="Phone (optional)"
            type="tel"
            error={errors['contact.phone']}
            value={form.contact_phone}
            onChange={(e) => { set({ contact_phone: e.target.value }); }}
          />
        </fieldset>
        <SecondaryAffiliates
          primaryId={affiliateId}
          chosen={secondary}
          error={Object.entries(errors).find(([field]) => field.startsWith('secondary_affiliate_ids'))?.[1]}
          onChange={setSecondary}
        />
        <Button type="submit" className="margin-top-3" disabled={enroll.isPending}>
          Enroll the program
        </Button>
      </form>
      {enroll.isError && !shownElsewhere ? <ActionError error={enroll.error} /> : null}
    </Page>
  );
}
