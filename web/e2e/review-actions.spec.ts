/**
 * Issue 23, the affiliate's review actions cycle.spec.ts does not take: assign a colleague as the
 * reviewer (and the queue's "assigned to me" for each of them), return for changes with a comment
 * (the program reads it, changes an answer, resubmits), cancel the review meeting and schedule it
 * again (the .ics says CANCEL, then the same UID as a REQUEST again).
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { checkPage, choose, signIn } from './pages';
import { VA_STAFF, activate, answerAll, api, idToken, programWithCycle, stack } from './stack';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** METHOD and the VEVENT's properties of a downloaded .ics (folded lines unfolded). */
async function invite(page: Page, button: string): Promise<Record<string, string>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const lines = readFileSync(await download.path(), 'utf8')
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/);
  const props: Record<string, string> = {};
  const inEvent = (i: number) => i > lines.indexOf('BEGIN:VEVENT') && i < lines.indexOf('END:VEVENT');
  lines.forEach((line, i) => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).split(';')[0] ?? '';
    if (name === 'METHOD' || (inEvent(i) && !(name in props))) props[name] = line.slice(colon + 1);
  });
  return props;
}

/** The queue with only the caller's reviews, or all of them. */
async function assignedToMe(page: Page, on: boolean): Promise<void> {
  await page.goto(`${stack().webUrl}/reviews`);
  await expect(page.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  const box = page.getByRole('checkbox', { name: 'Assigned to me' });
  if ((await box.isChecked()) !== on) await page.locator('label[for="queue-mine"]').click();
  await expect(box).toBeChecked({ checked: on });
}

test('affiliate staff assign a colleague, return for changes, cancel the meeting and schedule it again', async ({ browser }) => {
  test.setTimeout(180_000);
  const program = await programWithCycle(['rosa']);
  const coordinator = program.staff[0] ?? '';
  const web = stack().webUrl;

  // A second staff member of Virginia's affiliate (invited and activated through the API).
  const suffix = randomUUID().slice(0, 6);
  const colleagueName = `Cole Reviewer ${suffix}`;
  const colleague = `cole.${suffix}@mentor-va.example`;
  const vaToken = await idToken(VA_STAFF);
  const invited = await api(vaToken, 'POST', `/affiliates/${stack().info.demo_data.affiliates.va}/members`, {
    email: colleague,
    name: colleagueName,
  });
  expect(invited.status, JSON.stringify(invited.json)).toBe(201);
  await activate(colleague);

  // The program answers and submits (through the API: the journey test does it by hand).
  const rosaToken = await idToken(coordinator);
  const [first = ''] = await answerAll(rosaToken, program.cycleId);
  const submitted = await api(rosaToken, 'POST', `/cycles/${program.cycleId}/submit`);
  expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);

  const veraContext = await browser.newContext();
  const coleContext = await browser.newContext();
  const rosaContext = await browser.newContext();
  const vera = await veraContext.newPage();
  const cole = await coleContext.newPage();
  const rosa = await rosaContext.newPage();
  await Promise.all([signIn(vera, VA_STAFF), signIn(cole, colleague), signIn(rosa, coordinator)]);

  // 1. Vera assigns Cole; the queue's "assigned to me" lists it for Cole, not for Vera.
  await vera.goto(`${web}/reviews`);
  const row = vera.getByRole('row', { name: new RegExp(program.name) });
  await expect(row).toContainText('no reviewer yet');
  await row.getByRole('link', { name: program.name }).click();
  await expect(vera.getByTestId('reviewer')).toHaveText('Nobody is assigned yet.');
  await vera.getByLabel('Assign a reviewer').selectOption({ label: `${colleagueName} (${colleague})` });
  await vera.getByRole('button', { name: 'Assign' }).click();
  await expect(vera.getByTestId('reviewer')).toHaveText(colleagueName);
  await checkPage(vera, 'review-assigned-colleague');
  await assignedToMe(vera, true);
  await expect(vera.getByRole('link', { name: program.name })).toHaveCount(0);
  await assignedToMe(vera, false);
  await expect(vera.getByRole('row', { name: new RegExp(program.name) })).not.toContainText('no reviewer yet');

  await assignedToMe(cole, true);
  await expect(cole.getByRole('link', { name: program.name })).toBeVisible();
  await checkPage(cole, 'review-queue-assigned-to-me');
  await cole.getByRole('link', { name: program.name }).click();
  await expect(cole.getByTestId('reviewer')).toHaveText('You');

  // 2. Cole flags an item with a note to the program, and returns the assessment with a comment.
  const flagNote = `Attach the board's calendar (${suffix}).`;
  await cole.getByRole('link', { name: new RegExp(`^${first}: `) }).click();
  await cole.getByText('Flagged: the program should look again').click();
  await cole.getByLabel('Note to the program').fill(flagNote);
  await cole.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(cole.getByTestId('review-save-status')).toHaveText(/Saved \d/);
  await cole.goto(`${web}/cycles/${program.cycleId}/review`);
  const comment = `Item ${first}: say how often the board meets (${suffix}).`;
  await cole.getByRole('button', { name: 'Return for changes…' }).click();
  await cole.getByLabel(/What should the program change/).fill(comment);
  await cole.getByRole('button', { name: 'Return to the program' }).click();
  await expect(cole.getByTestId('cycle-state')).toHaveText('Returned for changes');
  await expect(cole.getByRole('heading', { name: 'Returned to the program for changes' })).toBeVisible();
  await expect(cole.getByText(comment)).toBeVisible();
  await expect(cole.getByRole('button', { name: 'Return for changes…' })).toHaveCount(0);
  await expect(cole.getByRole('button', { name: 'Schedule the meeting' })).toHaveCount(0);
  await checkPage(cole, 'review-returned');
  await assignedToMe(cole, false);
  await expect(cole.getByRole('link', { name: program.name })).toHaveCount(0);

  // The program reads the comment on its cycle, changes an answer again and resubmits.
  await rosa.goto(`${web}/programs/${program.programId}`);
  await expect(rosa.getByText(`Returned by your affiliate: ${comment}`)).toBeVisible();
  await checkPage(rosa, 'program-returned');
  await rosa.goto(`${web}/cycles/${program.cycleId}`);
  await expect(rosa.getByText(`Returned by your affiliate: ${comment}`)).toBeVisible();
  await expect(rosa.getByRole('region', { name: 'Flagged by your affiliate' })).toContainText(flagNote);
  await checkPage(rosa, 'task-list-returned');
  await rosa.goto(`${web}/cycles/${program.cycleId}/items/${first}`);
  await expect(rosa.getByText(flagNote)).toBeVisible();
  await checkPage(rosa, 'item-returned');
  await choose(rosa, 'rating-4');
  await expect(rosa.getByTestId('save-status')).toHaveText(/Saved \d/);
  await rosa.goto(`${web}/cycles/${program.cycleId}/submit`);
  await rosa.locator('label[for="confirm-submit"]').click();
  await rosa.getByRole('button', { name: 'Submit the self-assessment' }).click();
  await expect(rosa.getByRole('heading', { level: 1, name: 'Self-assessment submitted' })).toBeVisible();
  await rosa.goto(`${web}/programs/${program.programId}`);
  await expect(rosa.getByText('Your answers are submitted')).toBeVisible();
  await expect(rosa.getByText('Returned by your affiliate')).toHaveCount(0); // the comment was about the last submission

  // Back in the queue, still Cole's; the review shows the new answer.
  await assignedToMe(cole, true);
  await expect(cole.getByRole('link', { name: program.name })).toBeVisible();
  await cole.getByRole('link', { name: program.name }).click();
  await expect(cole.getByTestId('reviewer')).toHaveText('You');
  await cole.getByRole('link', { name: new RegExp(`^${first}: `) }).click();
  await expect(cole.getByTestId('program-answer')).toContainText('4 of 5');

  // 3. The meeting: scheduled, cancelled (the .ics says CANCEL), scheduled again (same UID).
  await vera.goto(`${web}/cycles/${program.cycleId}/review`);
  await vera.getByRole('button', { name: 'Schedule the meeting' }).click();
  await vera.getByLabel('Date', { exact: true }).fill(day(10));
  await vera.getByLabel('Starts').fill('13:00');
  await vera.getByLabel('Ends').fill('14:00');
  await vera.getByLabel('Address', { exact: true }).fill('1 Capitol Sq, Richmond');
  await vera.getByRole('button', { name: 'Schedule the meeting' }).click();
  await expect(vera.getByTestId('meeting-when')).toContainText('13:00–14:00 (America/New_York)');
  const scheduled = await invite(vera, 'Download the calendar invite (.ics)');
  expect(scheduled.METHOD).toBe('REQUEST');
  await vera.getByRole('button', { name: 'Cancel the meeting' }).click();
  await expect(vera.getByTestId('meeting-when')).toContainText('cancelled');
  await expect(vera.getByText('The meeting was cancelled')).toBeVisible();
  await expect(vera.getByRole('button', { name: 'Cancel the meeting' })).toHaveCount(0);
  await expect(vera.getByRole('button', { name: 'The meeting was held: complete the review' })).toHaveCount(0);
  await checkPage(vera, 'meeting-cancelled');
  const cancelled = await invite(vera, 'Download the cancellation (.ics)');
  expect(cancelled.METHOD).toBe('CANCEL');
  expect(cancelled.STATUS).toBe('CANCELLED');
  expect(cancelled.UID).toBe(scheduled.UID);
  expect(Number(cancelled.SEQUENCE)).toBeGreaterThan(Number(scheduled.SEQUENCE));

  // Scheduling again starts from the cancelled meeting's time and place.
  await vera.getByRole('button', { name: 'Schedule the meeting' }).click();
  await expect(vera.getByLabel('Date', { exact: true })).toHaveValue(day(10));
  await expect(vera.getByLabel('Starts')).toHaveValue('13:00');
  await expect(vera.getByLabel('Ends')).toHaveValue('14:00');
  await expect(vera.getByLabel('Time zone', { exact: true })).toHaveValue('America/New_York');
  await expect(vera.getByLabel('Address', { exact: true })).toHaveValue('1 Capitol Sq, Richmond');
  await vera.getByLabel('Date', { exact: true }).fill(day(12));
  await vera.getByLabel('Starts').fill('09:30');
  await vera.getByLabel('Ends').fill('10:30');
  await vera.getByRole('button', { name: 'Schedule the meeting' }).click();
  await expect(vera.getByTestId('meeting-when')).toContainText('09:30–10:30');
  await expect(vera.getByTestId('meeting-when')).not.toContainText('cancelled');
  await expect(vera.getByText('The meeting was cancelled')).toHaveCount(0);
  const again = await invite(vera, 'Download the calendar invite (.ics)');
  expect(again.METHOD).toBe('REQUEST');
  expect(again.UID).toBe(scheduled.UID);
  expect(Number(again.SEQUENCE)).toBeGreaterThan(Number(cancelled.SEQUENCE));
  expect(again.DTSTART).toContain(day(12).replace(/-/g, ''));
  await checkPage(vera, 'meeting-scheduled-again');

  await Promise.all([veraContext.close(), coleContext.close(), rosaContext.close()]);
});
