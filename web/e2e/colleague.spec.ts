import { expect, test } from '@playwright/test';
import { checkPage, choose, signIn } from './pages';
import { api, idToken, programWithCycle, resetCode, temporaryPassword } from './stack';

test('an invited colleague signs in for the first time and answers an item', async ({ page }) => {
  const program = await programWithCycle(['dev'], false);
  const dev = program.staff[0] ?? '';
  await signIn(page, dev, temporaryPassword(dev));
  await expect(page.getByRole('heading', { level: 1, name: 'Choose your password' })).toBeVisible();
  await checkPage(page, 'first-sign-in');
  await page.getByLabel('New password').fill('Dev-Chosen-Pass-2026');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: program.name })).toBeVisible();
  await page.getByRole('link', { name: 'Start the self-assessment' }).click();
  await choose(page, 'yes');
  await choose(page, 'rating-5');
  await expect(page.getByTestId('save-status')).toHaveText(/Saved \d/);

  const token = await idToken(dev, 'Dev-Chosen-Pass-2026');
  const stored = await api(token, 'GET', `/cycles/${program.cycleId}/answers`);
  expect((stored.json.items as { answer: unknown }[])[0]?.answer).toMatchObject({ in_practice: 'yes', rating: 5 });

  // Sign out: the session is gone, a reload shows the sign-in page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await checkPage(page, 'sign-in');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

  // Forgot the password: a code by email, a new password, signed in with it.
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email address').fill(dev);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByLabel('Code from the email')).toBeVisible();
  await checkPage(page, 'reset-password');
  await expect.poll(() => resetCode(dev)).not.toBeNull();
  await page.getByLabel('Code from the email').fill(resetCode(dev) ?? '');
  await page.getByLabel('New password').fill('Dev-Reset-Pass-2026');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Password changed' })).toBeVisible();
  await signIn(page, dev, 'Dev-Reset-Pass-2026');
  await expect(page.getByRole('heading', { level: 1, name: program.name })).toBeVisible();
});
