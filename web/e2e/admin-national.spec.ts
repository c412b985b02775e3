/**
 * Issue 23, national staff: every affiliate's review queue and read-only views (the results grant),
 * clearly marked read-only with no edit controls; without the grant, the API's 403 and 404 followed.
 */
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { nationalStaffWithoutGrant } from './admin-stack';
import { checkPage, signIn } from './pages';
import { answerAll, api, finishCycle, idToken, programOf } from './stack';

const ADMIN = 'admin@mentor-national.example'; // the demo admin holds the results grant

/** The banner on every page, and nothing in the page to type into, choose or press but a download. */
async function expectReadOnly(page: Page): Promise<void> {
  const main = page.getByRole('main');
  await expect(main.getByRole('note', { name: 'Read-only' })).toContainText('Read-only.');
  await expect(main.getByRole('textbox')).toHaveCount(0);
  await expect(main.getByRole('radio')).toHaveCount(0);
  await expect(main.getByRole('spinbutton')).toHaveCount(0);
  // Downloading a report is reading (national staff with the results grant may): nothing else.
  await expect(main.getByRole('button', { name: /^(?!Download )/ })).toHaveCount(0);
}

test('national staff read every affiliate, read-only; without the results grant, not found and not theirs', async ({ browser }) => {
  test.setTimeout(180_000);
  const suffix = randomUUID().slice(0, 6);
  // Nebraska's program submitted (in the queue); Virginia's through its finalized plan.
  const ne = await programOf('ne', `Prairie ${suffix}`);
  const neStaff = await idToken(ne.staff[0] ?? '');
  await answerAll(neStaff, ne.cycleId);
  expect((await api(neStaff, 'POST', `/cycles/${ne.cycleId}/submit`)).status).toBe(200);
  const va = await programOf('va', `Tidewater ${suffix}`);
  await finishCycle(va.affiliateStaff, va.staff[0] ?? '', va.cycleId);

  const adminContext = await browser.newContext();
  const nadia = await adminContext.newPage();
  await signIn(nadia, ADMIN);
  await expect(nadia.getByRole('heading', { level: 1, name: 'National staff' })).toBeVisible();
  await expect(nadia.getByRole('note', { name: 'Read-only' })).toBeVisible();
  const affiliates = nadia.getByRole('region', { name: 'Affiliates' });
  await expect(affiliates.getByRole('row', { name: /MENTOR Virginia/ })).toBeVisible();
  await expect(affiliates.getByRole('row', { name: /MENTOR Nebraska/ })).toBeVisible();
  await nadia.getByLabel('Affiliate', { exact: true }).selectOption({ label: 'MENTOR Virginia' });
  await expect(nadia.getByRole('list', { name: 'Programs' }).getByRole('link', { name: va.name })).toBeVisible();
  await checkPage(nadia, 'national-home');

  // Every affiliate's queue, narrowed to one affiliate.
  await nadia.getByRole('link', { name: "Every affiliate's review queue" }).click();
  const queue = nadia.getByRole('region', { name: 'Assessments to review' });
  await expect(queue.getByRole('link', { name: ne.name })).toBeVisible();
  await expect(nadia.getByLabel('Assigned to me')).toBeHidden();
  await nadia.getByLabel('Affiliate', { exact: true }).selectOption({ label: 'MENTOR Virginia' });
  await expect(queue.getByRole('link', { name: ne.name })).toHaveCount(0);
  await nadia.getByLabel('Affiliate', { exact: true }).selectOption({ label: 'MENTOR Nebraska' });
  await expect(queue.getByRole('link', { name: ne.name })).toBeVisible();
  await checkPage(nadia, 'national-queue');

  // The review and an item's review: read-only, no reviewer to assign, nothing to return or schedule.
  await queue.getByRole('link', { name: ne.name }).click();
  await expect(nadia.getByRole('heading', { level: 1, name: `Review: ${ne.name}` })).toBeVisible();
  // Said once, by the banner national staff see on every page (not again by the page itself).
  await expect(nadia.getByRole('note', { name: 'Read-only' })).toBeVisible();
  await expect(nadia.getByRole('heading', { name: 'Read-only' })).toHaveCount(0);
  await expectReadOnly(nadia);
  await expect(nadia.getByLabel('Assign a reviewer')).toHaveCount(0);
  await checkPage(nadia, 'national-review');
  await nadia.getByRole('link', { name: /^A1: / }).click();
  await expect(nadia.getByRole('heading', { name: 'Review (read-only)' })).toBeVisible();
  await expectReadOnly(nadia);

  // Virginia's program, its self-assessment and its finalized plan: read, never changed.
  await nadia.goto(`${new URL(nadia.url()).origin}/programs/${va.programId}`);
  await expect(nadia.getByRole('heading', { level: 1, name: va.name })).toBeVisible();
  await expectReadOnly(nadia);
  await expect(nadia.getByRole('link', { name: "The program's staff" })).toHaveCount(0);
  await checkPage(nadia, 'national-program');
  await nadia.getByRole('link', { name: 'All sections' }).click();
  await expect(nadia.getByRole('heading', { level: 1, name: 'Self-assessment' })).toBeVisible();
  await expectReadOnly(nadia);
  await nadia.goto(`${new URL(nadia.url()).origin}/cycles/${va.cycleId}/items/A1`);
  await expect(nadia.getByText("Only the program's staff change answers.")).toBeVisible();
  await expectReadOnly(nadia);
  await nadia.goto(`${new URL(nadia.url()).origin}/programs/${va.programId}`);
  await nadia.getByRole('link', { name: "The program's evidence library" }).click();
  await expect(nadia.getByRole('heading', { level: 1 })).toContainText('Evidence');
  await expectReadOnly(nadia);
  await nadia.goBack();
  await nadia.getByRole('link', { name: 'The plan' }).click();
  await expect(nadia.getByRole('heading', { level: 3, name: /^A1: / })).toBeVisible();
  await expectReadOnly(nadia);
  await checkPage(nadia, 'national-plan');
  // Her own notification settings are hers to change: no banner there.
  await nadia.getByRole('link', { name: 'Notifications' }).click();
  await expect(nadia.getByRole('heading', { level: 1, name: /notification/i })).toBeVisible();
  await expect(nadia.getByRole('note', { name: 'Read-only' })).toHaveCount(0);
  await adminContext.close();

  // National staff without the results grant: no affiliate, the queue is not theirs (403), a program not found (404).
  const nora = `nora.${suffix}@mentor-national.example`;
  nationalStaffWithoutGrant(nora, 'Nora-Nogrant-2026');
  const noraContext = await browser.newContext();
  const page = await noraContext.newPage();
  await signIn(page, nora, 'Nora-Nogrant-2026');
  await expect(page.getByRole('heading', { name: 'No results grant' })).toBeVisible();
  await expect(page.getByText('No affiliate is yours to see.')).toBeVisible();
  await expect(page.getByRole('link', { name: /review queue/ })).toHaveCount(0);
  await checkPage(page, 'national-no-grant');
  await page.goto(`${new URL(page.url()).origin}/reviews`);
  await expect(page.getByRole('heading', { name: 'Not yours to read' })).toBeVisible();
  await expect(page.getByText('National staff may not read the review queue')).toBeVisible();
  for (const path of [`/programs/${va.programId}`, `/cycles/${ne.cycleId}/review`, `/cycles/${va.cycleId}/plan`]) {
    await page.goto(`${new URL(page.url()).origin}${path}`);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  }
  await noraContext.close();
});
