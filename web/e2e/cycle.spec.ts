/**
 * Issue 23's "Done when": one whole cycle through the browser, the affiliate's staff and the
 * program's staff signed in in two contexts.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { checkPage, signIn } from './pages';
import { VA_STAFF, answerAll, api, idToken, programWithStaff, stack } from './stack';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The properties of the one VEVENT in an .ics file (folded lines unfolded). */
function vevent(text: string): Record<string, string> {
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const start = lines.indexOf('BEGIN:VEVENT');
  const end = lines.indexOf('END:VEVENT');
  expect(start, 'the invite has a VEVENT').toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const props: Record<string, string> = {};
  for (const line of lines.slice(start + 1, end)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).split(';')[0] ?? '';
    if (!(name in props)) props[name] = line.slice(colon + 1);
  }
  return props;
}

async function downloadInvite(page: Page): Promise<Record<string, string>> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the calendar invite (.ics)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('review-meeting.ics');
  return vevent(readFileSync(await download.path(), 'utf8'));
}

async function fillMeeting(page: Page, date: string, start: string, end: string): Promise<void> {
  await page.getByLabel('Date', { exact: true }).fill(date);
  await page.getByLabel('Starts').fill(start);
  await page.getByLabel('Ends').fill(end);
}

async function addGoal(page: Page, code: string, title: string, target: number, owner: string): Promise<void> {
  await page.getByRole('button', { name: 'Add a goal' }).click();
  const form = page.getByRole('form', { name: 'Add a goal' });
  await form.getByLabel('Item the goal improves').selectOption(code);
  await expect(form.getByLabel('Baseline rating')).toHaveValue('3'); // the program's answer
  await form.getByLabel('Goal', { exact: true }).fill(title);
  await form.getByLabel('Target rating').fill(String(target));
  await form.getByLabel('Owner (program staff)').selectOption({ label: owner });
  await form.getByLabel('Action steps (one a line)').fill('Draft the change\nTrain the staff');
  await form.getByRole('button', { name: 'Add the goal' }).click();
  await expect(page.getByRole('heading', { name: `${code}: ${title}` })).toBeVisible();
}

test('one whole cycle: open, answer, review with a flag, meeting, plan together, goals, badges, revoke', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const program = await programWithStaff(['pia'], day(-200)); // matching for under a year
  const coordinator = program.staff[0] ?? '';
  const affiliateContext = await browser.newContext();
  const programContext = await browser.newContext();
  const vera = await affiliateContext.newPage();
  const pia = await programContext.newPage();
  const web = stack().webUrl;

  // The affiliate finds the program and opens a cycle: under a year, so it warns and asks why.
  await signIn(vera, VA_STAFF);
  await expect(vera.getByRole('heading', { level: 1, name: 'MENTOR Virginia' })).toBeVisible();
  await vera.getByLabel('Name').fill(program.name);
  await vera.getByLabel('Matching').selectOption('new');
  await expect(vera.getByRole('list', { name: 'Programs' }).getByRole('listitem')).toHaveCount(1);
  await checkPage(vera, 'affiliate-home');
  await vera.getByRole('link', { name: program.name }).click();
  await vera.getByRole('button', { name: 'Open a cycle' }).click();
  await expect(vera.getByText('This program may not be ready')).toBeVisible();
  await checkPage(vera, 'open-cycle-warning');
  await vera.getByLabel(/Why open the cycle anyway/).fill('Their mentors were trained by us last spring.');
  await vera.getByRole('button', { name: 'Open the cycle anyway' }).click();
  await expect(vera.getByText('Open: answering')).toBeVisible();
  await expect(vera.getByRole('button', { name: /Open (a|the) cycle/ })).toHaveCount(0);
  const cycles = await api(await idToken(VA_STAFF), 'GET', `/programs/${program.programId}/cycles`);
  const cycle = (cycles.json.items as { cycle_id: string; readiness: { override_reason: string | null } }[])[0];
  expect(cycle?.readiness.override_reason).toBe('Their mentors were trained by us last spring.');
  const cycleId = cycle?.cycle_id ?? '';

  // The program answers (through the API: the journey test answers by hand) and submits here.
  const piaToken = await idToken(coordinator);
  const codes = await answerAll(piaToken, cycleId);
  const [first = '', second = '', third = ''] = codes;
  await signIn(pia, coordinator);
  await pia.goto(`${web}/cycles/${cycleId}/submit`);
  await pia.locator('label[for="confirm-submit"]').click();
  await pia.getByRole('button', { name: 'Submit the self-assessment' }).click();
  await expect(pia.getByRole('heading', { level: 1, name: 'Self-assessment submitted' })).toBeVisible();
  // No affiliate action is offered to the program.
  await pia.goto(`${web}/programs/${program.programId}`);
  await expect(pia.getByText('Your answers are submitted')).toBeVisible();
  await expect(pia.getByRole('button', { name: /Open (a|the) cycle/ })).toHaveCount(0);
  await expect(pia.getByRole('link', { name: /Review the self-assessment/ })).toHaveCount(0);

  // The queue, filtered; the review: reviewer, a flag with a note and an internal note.
  await vera.goto(`${web}/reviews`);
  await vera.getByLabel('State').selectOption('submitted');
  await expect(vera.getByRole('link', { name: program.name })).toBeVisible();
  await vera.locator('label[for="queue-mine"]').click();
  await expect(vera.getByRole('link', { name: program.name })).toHaveCount(0);
  await vera.locator('label[for="queue-mine"]').click();
  await checkPage(vera, 'review-queue');
  await vera.getByRole('link', { name: program.name }).click();
  await vera.getByLabel('Assign a reviewer').selectOption({ label: 'Me' });
  await vera.getByRole('button', { name: 'Assign' }).click();
  await expect(vera.getByTestId('reviewer')).toHaveText('You');
  await checkPage(vera, 'review');
  await vera.getByRole('link', { name: new RegExp(`^${first}: `) }).click();
  await expect(vera.getByTestId('program-answer')).toContainText('3 of 5');
  await vera.getByText('Flagged: the program should look again').click();
  await vera.getByLabel('Note to the program').fill('Please attach the board minutes.');
  await vera.getByLabel(/^Internal note/).fill('INTERNAL: their board rarely meets.');
  await expect(vera.getByTestId('internal-note')).toContainText('Internal: never shown to the program');
  await checkPage(vera, 'item-review');
  await vera.getByRole('button', { name: 'Save and go to the next item' }).click();
  await expect(vera).toHaveURL(new RegExp(`/review/items/${second}$`));
  await vera.getByText('Reviewed', { exact: true }).click();
  await vera.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(vera.getByTestId('review-save-status')).toHaveText(/Saved \d/);

  // The program sees the flag and its note, never the internal note.
  await pia.goto(`${web}/cycles/${cycleId}/items/${first}`);
  await expect(pia.getByText('Please attach the board minutes.')).toBeVisible();
  await expect(pia.getByText('Flagged by your affiliate')).toBeVisible();
  await expect(pia.getByText('their board rarely meets')).toHaveCount(0);
  await pia.goto(`${web}/cycles/${cycleId}`);
  await expect(pia.getByRole('heading', { name: 'Flagged by your affiliate' })).toBeVisible();
  await expect(pia.locator('body')).not.toContainText('their board rarely meets');

  // The affiliate reads the program's pages without the program's buttons.
  await vera.goto(`${web}/cycles/${cycleId}/items/${first}`);
  await expect(vera.getByText("Only the program's staff change answers.")).toBeVisible();
  await expect(vera.getByRole('link', { name: /Add evidence/ })).toHaveCount(0);
  await vera.goto(`${web}/programs/${program.programId}/evidence`);
  await expect(vera.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await expect(vera.getByRole('button', { name: 'Upload' })).toHaveCount(0);

  // Another affiliate's staff: "not found".
  const neContext = await browser.newContext();
  const ned = await neContext.newPage();
  await signIn(ned, 'staff@mentor-ne.example');
  await ned.goto(`${web}/cycles/${cycleId}/review`);
  await expect(ned.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await ned.goto(`${web}/programs/${program.programId}`);
  await expect(ned.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await neContext.close();

  // The meeting: scheduled in the affiliate's zone, rescheduled with the same UID, held, completed.
  await vera.goto(`${web}/cycles/${cycleId}/review`);
  await vera.getByRole('button', { name: 'Schedule the meeting' }).click();
  await expect(vera.getByLabel('Time zone')).toHaveValue('America/New_York');
  await fillMeeting(vera, day(7), '10:00', '11:30');
  await vera.locator('label[for="meeting-mode-online"]').click();
  await vera.getByLabel(/Meeting link/).fill('https://meet.example.org/review');
  await vera.getByLabel(/^Guests/).fill('board.chair@example.org');
  await vera.getByLabel('Agenda').fill('The flagged items; the plan.');
  await checkPage(vera, 'meeting-form');
  await vera.getByRole('button', { name: 'Schedule the meeting' }).click();
  await expect(vera.getByTestId('meeting-when')).toContainText('10:00–11:30 (America/New_York)');
  const scheduled = await downloadInvite(vera);
  expect(scheduled.SEQUENCE).toBe('0');
  expect(scheduled.DTSTART).toContain(day(7).replace(/-/g, ''));
  await vera.getByRole('button', { name: 'Reschedule' }).click();
  await fillMeeting(vera, day(8), '14:00', '15:00');
  await vera.getByRole('button', { name: 'Save the new time' }).click();
  await expect(vera.getByTestId('meeting-when')).toContainText('14:00–15:00');
  const moved = await downloadInvite(vera);
  expect(moved.UID).toBe(scheduled.UID);
  expect(Number(moved.SEQUENCE)).toBeGreaterThan(0);
  expect(moved.DTSTART).toContain(day(8).replace(/-/g, ''));
  await expect(vera.getByText('Schedule the review meeting (or record one already held) first.')).toHaveCount(0);
  await vera.getByRole('button', { name: 'Record a meeting already held' }).click();
  await fillMeeting(vera, day(-1), '09:00', '10:00');
  await vera.getByRole('button', { name: 'Record the meeting' }).click();
  await expect(vera.getByTestId('meeting-when')).toContainText('09:00–10:00');
  await vera.getByRole('button', { name: 'The meeting was held: complete the review' }).click();
  await expect(vera.getByRole('heading', { name: 'Review completed' })).toBeVisible();
  await checkPage(vera, 'review-completed');

  // The plan together: both open it; the affiliate's save is stale and keeps both texts.
  await vera.getByRole('link', { name: 'The plan' }).click();
  await pia.goto(`${web}/cycles/${cycleId}/plan`);
  await expect(vera.getByRole('heading', { level: 1, name: 'Improvement and Innovation Plan' })).toBeVisible();
  await pia.getByLabel('Strengths', { exact: true }).first().fill('Pia: a board that meets monthly.');
  await pia.getByRole('button', { name: 'Save the text' }).click();
  await expect(pia.getByTestId('plan-save-status')).toHaveText(/Saved \d/);
  await vera.getByLabel('Strengths', { exact: true }).first().fill('Vera: mentor training is thorough.');
  await vera.getByRole('button', { name: 'Save the text' }).click();
  await expect(vera.getByTestId('conflict')).toContainText('Pia: a board that meets monthly.');
  await checkPage(vera, 'plan-conflict');
  await vera.getByRole('button', { name: 'Keep both (merge the texts)' }).click();
  await expect(vera.getByTestId('plan-save-status')).toHaveText(/Saved \d/);
  const text = await api(piaToken, 'GET', `/cycles/${cycleId}/plan`);
  expect((text.json.text as { management: { strengths: string } }).management.strengths).toBe(
    'Vera: mentor training is thorough.\n\nPia: a board that meets monthly.',
  );

  // Goals: the API's warning beside the field; finalize refused with 2, accepted with 3.
  await addGoal(vera, first, 'Board minutes every quarter', 3, 'pia');
  await expect(vera.getByTestId('warning-target_rating')).toContainText('not above the baseline');
  await addGoal(pia, second, 'Mentor check-ins every month', 4, 'pia');
  await vera.reload();
  await vera.getByRole('button', { name: 'Finalize the plan' }).click();
  await expect(vera.getByRole('alert')).toContainText(/3/);
  await addGoal(vera, third, 'An annual mentor survey', 4, 'pia');
  await checkPage(vera, 'plan');
  await vera.getByRole('button', { name: 'Finalize the plan' }).click();
  await expect(vera.getByTestId('plan-state')).toContainText('Finalized');
  await expect(vera.getByRole('button', { name: 'Finalize the plan' })).toHaveCount(0);

  // The program completes a goal; the affiliate verifies it (the other two through the API).
  await pia.reload();
  await expect(pia.getByRole('button', { name: 'Add a goal' })).toHaveCount(0); // finalized: the affiliate's now
  await expect(pia.getByRole('button', { name: 'Verify' })).toHaveCount(0);
  const goal = pia.getByTestId('goal').filter({ hasText: 'Mentor check-ins every month' });
  await goal.getByRole('button', { name: 'Mark completed' }).click();
  await goal.getByLabel('How the goal was met').fill('Check-ins logged for every match since March.');
  await goal.getByRole('button', { name: 'Mark completed' }).click();
  await expect(goal.getByTestId('goal-status')).toHaveText('Completed: waiting for the affiliate');
  await checkPage(pia, 'plan-program');
  await vera.reload();
  const verifying = vera.getByTestId('goal').filter({ hasText: 'Mentor check-ins every month' });
  await verifying.getByRole('button', { name: 'Verify' }).click();
  await verifying.getByLabel('Achieved rating (1 to 5)').fill('4');
  await verifying.getByRole('button', { name: 'Verify the goal' }).click();
  await expect(verifying.getByTestId('goal-status')).toHaveText('Verified');
  const veraToken = await idToken(VA_STAFF);
  const plan = await api(veraToken, 'GET', `/cycles/${cycleId}/plan`);
  for (const g of plan.json.goals as { goal_id: string; status: string }[]) {
    if (g.status === 'verified') continue;
    const done = await api(piaToken, 'POST', `/cycles/${cycleId}/plan/goals/${g.goal_id}/complete`, { note: 'Done.' });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const verified = await api(veraToken, 'POST', `/cycles/${cycleId}/plan/goals/${g.goal_id}/verify`, { achieved_rating: 4 });
    expect(verified.status, JSON.stringify(verified.json)).toBe(200);
  }

  // Both badges on the program's page (issued from events: wait for them).
  await pia.goto(`${web}/programs/${program.programId}/badges`);
  await expect(async () => {
    await pia.reload();
    await expect(pia.getByTestId('badge')).toHaveCount(2, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(pia.getByRole('heading', { name: 'Initiated in NQMS' })).toBeVisible();
  await expect(pia.getByRole('heading', { name: 'Progressing in NQMS' })).toBeVisible();
  await expect(pia.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
  for (const image of await pia.getByRole('img').all()) {
    await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
  }
  await checkPage(pia, 'badges');
  const step2 = pia.getByTestId('badge').filter({ hasText: 'Progressing in NQMS' });
  const verifyUrl = (await step2.getByRole('link', { name: /Verification page/ }).getAttribute('href')) ?? '';
  expect(await step2.getByLabel('Embed on your website').inputValue()).toContain(verifyUrl.split('?')[0]);

  // The verify page, with no sign-in: active; revoked once the affiliate revokes.
  const publicContext = await browser.newContext();
  const partner = await publicContext.newPage();
  await partner.goto(verifyUrl);
  await expect(partner.locator('body')).toContainText(/active/i);
  await vera.goto(`${web}/programs/${program.programId}/badges`);
  const revoking = vera.getByTestId('badge').filter({ hasText: 'Progressing in NQMS' });
  await revoking.getByRole('button', { name: 'Revoke this badge…' }).click();
  await revoking.getByLabel(/Why is the badge revoked/).fill('Entered by mistake: the goals were not met.');
  await revoking.getByRole('button', { name: 'Revoke the badge' }).click();
  await expect(revoking.getByTestId('badge-status')).toHaveText('Revoked');
  await partner.reload();
  await expect(partner.locator('body')).toContainText(/revoked/i);

  await publicContext.close();
  await affiliateContext.close();
  await programContext.close();
});
