/**
 * Program staff: their progress against their own earlier cycle, per section (before and after),
 * and their notification preferences.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { checkPage, signIn } from './pages';
import { answerAll, api, finishCycle, idToken, programOf, stack } from './stack';

test("a program's progress across its cycles, and its staff's notification preferences", async ({ browser }) => {
  test.setTimeout(180_000);
  const program = await programOf('va', `Compass ${randomUUID().slice(0, 6)} Mentors`);
  const coordinator = program.staff[0] ?? '';
  // The first cycle rated 3 throughout, to its plan; the second rated 4, submitted.
  await finishCycle(program.affiliateStaff, coordinator, program.cycleId, 3);
  const staff = await idToken(program.affiliateStaff);
  const opened = await api(staff, 'POST', `/programs/${program.programId}/cycles`, {});
  expect(opened.status, JSON.stringify(opened.json)).toBe(201);
  const second = String(opened.json.cycle_id);
  const own = await idToken(coordinator);
  await answerAll(own, second, 4);
  expect((await api(own, 'POST', `/cycles/${second}/submit`)).status).toBe(200);

  const context = await browser.newContext();
  const page = await context.newPage();
  const web = stack().webUrl;
  await signIn(page, coordinator);
  await page.goto(`${web}/programs/${program.programId}`);
  await page.getByRole('link', { name: /Your progress across cycles/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Progress across your cycles' })).toBeVisible();
  const rating = page.getByRole('table', { name: 'Average rating per section (1 to 5)' });
  const inPlace = page.getByRole('table', { name: 'Practices in place per section' });
  await expect(page.getByTestId('compared-cycles')).toContainText('cycle 1 of 2');
  await expect(rating.getByRole('row')).toHaveCount(1 + 16); // the header and the instrument's sixteen sections
  const sectionA = rating.getByTestId('section-A');
  await expect(sectionA.getByRole('cell').nth(0)).toHaveText('3.0');
  await expect(sectionA.getByRole('cell').nth(1)).toHaveText('4.0');
  await expect(sectionA.getByRole('cell').nth(2)).toHaveText('up 1.0');
  await expect(inPlace.getByTestId('section-A').getByRole('cell').nth(2)).toHaveText('no change');
  await checkPage(page, 'progress');

  // Another affiliate's staff: "not found".
  const neContext = await browser.newContext();
  const ned = await neContext.newPage();
  await signIn(ned, 'staff@mentor-ne.example');
  await ned.goto(`${web}/programs/${program.programId}/progress`);
  await expect(ned.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await neContext.close();

  // Notification preferences: reminders off, emails in Chicago time; kept after a reload.
  await page.getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Email notifications' })).toBeVisible();
  const reminders = page.getByRole('checkbox', { name: /Reminders about the self-assessment/ });
  await expect(reminders).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /weekly digest/ })).toHaveCount(0); // affiliate staff's
  await page.locator('label[for="pref-reminders"]').click();
  await expect(reminders).not.toBeChecked();
  await page.getByLabel('Time zone of the times in your emails').selectOption('America/Chicago');
  await page.getByRole('button', { name: 'Save the preferences' }).click();
  await expect(page.getByTestId('preferences-status')).toHaveText(/Saved \d/);
  await checkPage(page, 'notifications');
  await page.reload();
  await expect(reminders).not.toBeChecked();
  await expect(page.getByLabel('Time zone of the times in your emails')).toHaveValue('America/Chicago');
  const stored = await api(own, 'GET', '/me/notification-preferences');
  expect(stored.json).toMatchObject({ reminders: false, digest: false, time_zone: 'America/Chicago' });
  await context.close();
});
