import { useState } from 'react';
import { Alert, Button } from '@/components/ui/uswds';
import { ActionError } from '@/components/ui/page';
import { useApi } from '@/lib/api-context';
import { fieldErrors } from '@/lib/problems';
import { zones } from '@/lib/time-zones';
import { useAffiliate, useAffiliateMembers, useProgramMembers } from '@/features/affiliate/api/affiliate';
import {
  downloadInvite,
  useCancelMeeting,
  useScheduleMeeting,
  type MeetingIn,
  type MeetingView,
  type Review,
} from '../api/review';


/** "2026-12-20T10:00:00" in its zone, as people read it. */
export function formatMeeting(m: MeetingView): string {
  const [day = '', time = ''] = m.start.replace(/([+-]\d\d:\d\d|Z)$/, '').split('T');
  const end = m.end.replace(/([+-]\d\d:\d\d|Z)$/, '').split('T')[1] ?? '';
  const date = new Date(`${day}T12:00:00`).toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  return `${date}, ${time.slice(0, 5)}–${end.slice(0, 5)} (${m.time_zone})`;
}

type Draft = { day: string; start: string; end: string; zone: string; mode: 'in_person' | 'online'; place: string; agenda: string; guests: string; staff: string[] };

/**
 * The form's first values: blank with no meeting; else the meeting's own, live or cancelled (after
 * a cancellation, scheduling again starts from the cancelled meeting's time, place and people).
 */
function draftOf(m: MeetingView | null | undefined, zone: string): Draft {
  if (!m) {
    return { day: '', start: '10:00', end: '11:00', zone, mode: 'in_person', place: '', agenda: '', guests: '', staff: [] };
  }
  const strip = (s: string) => s.replace(/([+-]\d\d:\d\d|Z)$/, '');
  const [day = '', start = ''] = strip(m.start).split('T');
  return {
    day,
    start: start.slice(0, 5),
    end: (strip(m.end).split('T')[1] ?? '').slice(0, 5),
    zone: m.time_zone,
    mode: m.mode === 'online' ? 'online' : 'in_person',
    place: (m.mode === 'online' ? m.link : m.address) ?? '',
    agenda: m.agenda ?? '',
    guests: m.guests.join(', '),
    staff: [...m.staff],
  };
}

function MeetingForm({
  cycleId,
  meeting,
  defaultZone,
  held,
  people,
  onDone,
}: {
  cycleId: string;
  meeting: MeetingView | null | undefined;
  defaultZone: string;
  held: boolean;
  people: { id: string; name: string }[];
  onDone: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(meeting, defaultZone));
  const save = useScheduleMeeting(cycleId);
  const errors = fieldErrors(save.error);
  const set = (patch: Partial<Draft>) => { setDraft({ ...draft, ...patch }); };
  const reschedule = meeting && meeting.status !== 'cancelled';
  const submit = () => {
    const body: MeetingIn = {
      time_zone: draft.zone,
      start: `${draft.day}T${draft.start}:00`,
      end: `${draft.day}T${draft.end}:00`,
      mode: draft.mode,
      address: draft.mode === 'in_person' ? draft.place || null : null,
      link: draft.mode === 'online' ? draft.place || null : null,
      agenda: draft.agenda || null,
      attendees: {
        staff: draft.staff,
        guests: draft.guests.split(/[\s,;]+/).filter(Boolean),
      },
    };
    save.mutate({ body, version: reschedule ? meeting.version : null }, { onSuccess: onDone });
  };
  const error = (name: string) =>
    errors[name] ? (
      <span className="usa-error-message" id={`meeting-${name}-error`} role="alert">
        {errors[name]}
      </span>
    ) : null;
  return (
    <form
      aria-label={held ? 'Record a meeting already held' : reschedule ? 'Reschedule the meeting' : 'Schedule the meeting'}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {held ? <p>Enter when the meeting took place: no invitation is sent for a meeting in the past.</p> : null}
      <div className="nqms-filters">
        <div>
          <label className="usa-label" htmlFor="meeting-day">
            Date
          </label>
          {error('start')}
          <input className="usa-input" id="meeting-day" type="date" required value={draft.day} onChange={(e) => { set({ day: e.target.value }); }} />
        </div>
        <div>
          <label className="usa-label" htmlFor="meeting-start">
            Starts
          </label>
          <input className="usa-input" id="meeting-start" type="time" required value={draft.start} onChange={(e) => { set({ start: e.target.value }); }} />
        </div>
        <div>
          <label className="usa-label" htmlFor="meeting-end">
            Ends
          </label>
          {error('end')}
          <input className="usa-input" id="meeting-end" type="time" required value={draft.end} onChange={(e) => { set({ end: e.target.value }); }} />
        </div>
        <div>
          <label className="usa-label" htmlFor="meeting-zone">
            Time zone
          </label>
          <select className="usa-select" id="meeting-zone" value={draft.zone} onChange={(e) => { set({ zone: e.target.value }); }}>
            {zones(draft.zone).map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
                {z === defaultZone ? ' (the affiliate’s)' : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">Where</legend>
        <div className="nqms-ratings">
          {(['in_person', 'online'] as const).map((mode) => (
            <div className="usa-radio" key={mode}>
              <input className="usa-radio__input" id={`meeting-mode-${mode}`} type="radio" name="meeting-mode" checked={draft.mode === mode} onChange={() => { set({ mode }); }} />
              <label className="usa-radio__label" htmlFor={`meeting-mode-${mode}`}>
                {mode === 'online' ? 'Online' : 'In person'}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <label className="usa-label" htmlFor="meeting-place">
        {draft.mode === 'online' ? 'Meeting link (https://…)' : 'Address'}
      </label>
      {error(draft.mode === 'online' ? 'link' : 'address')}
      <input className="usa-input" id="meeting-place" value={draft.place} onChange={(e) => { set({ place: e.target.value }); }} />
      {people.length ? (
        <fieldset className="usa-fieldset">
          <legend className="usa-legend">Staff attending</legend>
          {error('attendees.staff')}
          {people.map((p) => (
            <div className="usa-checkbox" key={p.id}>
              <input
                className="usa-checkbox__input"
                id={`meeting-staff-${p.id}`}
                type="checkbox"
                checked={draft.staff.includes(p.id)}
                onChange={(e) => {
                  set({ staff: e.target.checked ? [...draft.staff, p.id] : draft.staff.filter((x) => x !== p.id) });
                }}
              />
              <label className="usa-checkbox__label" htmlFor={`meeting-staff-${p.id}`}>
                {p.name}
              </label>
            </div>
          ))}
        </fieldset>
      ) : null}
      <label className="usa-label" htmlFor="meeting-guests">
        Guests (email addresses, separated by commas)
      </label>
      {error('attendees.guests')}
      <input className="usa-input" id="meeting-guests" value={draft.guests} onChange={(e) => { set({ guests: e.target.value }); }} />
      <label className="usa-label" htmlFor="meeting-agenda">
        Agenda
      </label>
      <textarea className="usa-textarea" id="meeting-agenda" value={draft.agenda} onChange={(e) => { set({ agenda: e.target.value }); }} />
      <div className="nqms-item-nav">
        <Button type="submit" disabled={save.isPending}>
          {held ? 'Record the meeting' : reschedule ? 'Save the new time' : 'Schedule the meeting'}
        </Button>
        <Button type="button" className="usa-button--unstyled" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {save.isError && Object.keys(errors).length === 0 ? <ActionError error={save.error} /> : null}
    </form>
  );
}

/** The review meeting: what is planned, and (affiliate staff) schedule, move, cancel, record. */
export function MeetingPanel({
  cycleId,
  review,
  editable,
  affiliateId,
}: {
  cycleId: string;
  review: Review;
  editable: boolean;
  affiliateId: string | undefined;
}) {
  const api = useApi();
  const affiliate = useAffiliate(affiliateId);
  const programStaff = useProgramMembers(editable ? review.program_id : undefined);
  const affiliateStaff = useAffiliateMembers(editable ? affiliateId : undefined);
  const people = [...(programStaff.data ?? []), ...(affiliateStaff.data ?? [])]
    .filter((m) => m.status === 'active')
    .map((m) => ({ id: m.user_id, name: `${m.name} (${m.scope === 'program' ? 'program' : 'affiliate'})` }));
  const cancel = useCancelMeeting(cycleId);
  const [editing, setEditing] = useState<'schedule' | 'held' | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const meeting = review.meeting;
  const live = meeting && meeting.status !== 'cancelled';
  // A new meeting starts in the affiliate's zone, so the form waits for it (opened before, it
  // kept the browser's); the browser's own only when the affiliate cannot be read.
  const zone = affiliate.data?.time_zone ?? (affiliate.isLoading ? undefined : Intl.DateTimeFormat().resolvedOptions().timeZone);
  return (
    <section aria-labelledby="meeting-heading" className="nqms-panel" data-testid="meeting">
      <h2 id="meeting-heading">Review meeting</h2>
      {meeting ? (
        <dl className="nqms-readonly">
          <dt>When</dt>
          <dd data-testid="meeting-when">
            {formatMeeting(meeting)}
            {meeting.status === 'cancelled' ? ' · cancelled' : ''}
          </dd>
          <dt>Where</dt>
          <dd>{meeting.mode === 'online' ? `Online${meeting.link ? `: ${meeting.link}` : ''}` : `In person${meeting.address ? `: ${meeting.address}` : ''}`}</dd>
          {meeting.guests.length ? (
            <>
              <dt>Guests</dt>
              <dd>{meeting.guests.join(', ')}</dd>
            </>
          ) : null}
          {meeting.agenda ? (
            <>
              <dt>Agenda</dt>
              <dd>{meeting.agenda}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p>No meeting is scheduled yet.</p>
      )}
      {meeting ? (
        <p>
          {/* Once cancelled, the .ics is the cancellation (METHOD:CANCEL): it takes the entry out of a calendar. */}
          <Button
            type="button"
            className="usa-button--outline"
            onClick={() => {
              setDownloadError(null);
              downloadInvite(api, cycleId, live ? 'review-meeting.ics' : 'review-meeting-cancelled.ics').catch(setDownloadError);
            }}
          >
            {live ? 'Download the calendar invite (.ics)' : 'Download the cancellation (.ics)'}
          </Button>
        </p>
      ) : null}
      {downloadError ? <ActionError error={downloadError} /> : null}
      {editable && editing && zone ? (
        <MeetingForm key={editing} cycleId={cycleId} meeting={meeting} defaultZone={zone} held={editing === 'held'} people={people} onDone={() => { setEditing(null); }} />
      ) : editable ? (
        <div className="nqms-item-nav">
          <Button type="button" disabled={!zone} onClick={() => { setEditing('schedule'); }}>
            {live ? 'Reschedule' : 'Schedule the meeting'}
          </Button>
          <Button type="button" className="usa-button--outline" disabled={!zone} onClick={() => { setEditing('held'); }}>
            Record a meeting already held
          </Button>
          {live ? (
            <Button type="button" className="usa-button--secondary" disabled={cancel.isPending} onClick={() => { cancel.mutate(undefined); }}>
              Cancel the meeting
            </Button>
          ) : null}
        </div>
      ) : null}
      {cancel.isError ? <ActionError error={cancel.error} /> : null}
      {meeting?.status === 'cancelled' && editable ? (
        <Alert type="info" headingLevel="h3">
          The meeting was cancelled; scheduling it again starts from its time and place, and keeps the same calendar
          entry.
        </Alert>
      ) : null}
    </section>
  );
}
