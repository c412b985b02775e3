import { useState } from 'react';
import { Button } from '@/components/ui/uswds';
import { ActionError, Failure, Loading, Page, formatTime } from '@/components/ui/page';
import { zones } from '@/lib/time-zones';
import { isAffiliateStaff, useMe } from '@/features/me/api/get-me';
import { usePreferences, useSavePreferences, type PreferencesIn } from '../api/preferences';

/** A USWDS checkbox with its description under the label. */
function Option({
  id,
  checked,
  onChange,
  label,
  description,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  description: string;
}) {
  return (
    <div className="usa-checkbox">
      <input
        className="usa-checkbox__input"
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          onChange(e.target.checked);
        }}
      />
      <label className="usa-checkbox__label" htmlFor={id}>
        {label}
        <span className="usa-checkbox__label-description" id={`${id}-hint`}>
          {description}
        </span>
      </label>
    </div>
  );
}

type Stored = { reminders: boolean; digest: boolean; time_zone?: string | null };

function PreferencesForm({ stored, affiliate }: { stored: Stored; affiliate: boolean }) {
  const save = useSavePreferences();
  const [draft, setDraft] = useState<PreferencesIn>({
    reminders: stored.reminders,
    digest: stored.digest,
    time_zone: stored.time_zone ?? null,
  });
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const change = (patch: Partial<PreferencesIn>) => {
    setDraft({ ...draft, ...patch });
    setSavedAt(null);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft, {
          onSuccess: () => {
            setSavedAt(new Date().toISOString());
          },
        });
      }}
    >
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">Optional emails</legend>
        <p className="usa-hint">
          Every other email is part of the cycle and is always sent: invitations, submissions, returns, the review
          meeting, the plan, badges.
        </p>
        <Option
          id="pref-reminders"
          checked={draft.reminders}
          onChange={(reminders) => {
            change({ reminders });
          }}
          label="Reminders about the self-assessment"
          description="Seven days before it is due, and when it is overdue (program staff)."
        />
        {affiliate ? (
          <Option
            id="pref-digest"
            checked={draft.digest}
            onChange={(digest) => {
              change({ digest });
            }}
            label="A weekly digest"
            description="Overdue self-assessments and goals of your programs, every week."
          />
        ) : null}
      </fieldset>
      <label className="usa-label" htmlFor="pref-zone">
        Time zone of the times in your emails
      </label>
      <span className="usa-hint" id="pref-zone-hint">
        Without one, your affiliate&apos;s time zone.
      </span>
      <select
        className="usa-select"
        id="pref-zone"
        aria-describedby="pref-zone-hint"
        value={draft.time_zone ?? ''}
        onChange={(e) => {
          change({ time_zone: e.target.value || null });
        }}
      >
        <option value="">Your affiliate&apos;s time zone</option>
        {zones(draft.time_zone ?? 'UTC').map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
      <p className="nqms-item-nav">
        <Button type="submit" disabled={save.isPending}>
          Save the preferences
        </Button>
        <span role="status" className="nqms-status nqms-status--saved" data-testid="preferences-status">
          {savedAt ? `Saved ${formatTime(savedAt)}` : ''}
        </span>
      </p>
      {save.isError ? <ActionError error={save.error} /> : null}
    </form>
  );
}

/** The caller's own notification preferences: the optional emails and the zone emails show times in. */
export function PreferencesPage() {
  const me = useMe();
  const stored = usePreferences();
  if (me.isPending || stored.isPending) return <Loading what="your preferences" />;
  if (me.isError) return <Failure error={me.error} />;
  if (stored.isError) return <Failure error={stored.error} />;
  return (
    <Page title="Email notifications" caption={me.data.email ?? 'Your account'}>
      <PreferencesForm stored={stored.data} affiliate={isAffiliateStaff(me.data)} />
    </Page>
  );
}
