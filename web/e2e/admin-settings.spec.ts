/**
 * Issue 23, affiliate staff: the affiliate's settings (the API's 422 beside the field, a colleague's
 * save in between resolved), and the addresses that bounced.
 */
import { expect, test } from '@playwright/test';
import { bounce } from './admin-stack';
import { checkPage, signIn } from './pages';
import { VA_STAFF, api, idToken, programWithStaff, stack } from './stack';

test('affiliate settings: grace months refused beside the field, a stale save resolved; bounced addresses listed', async ({ page }) => {
  const program = await programWithStaff(['sam'], '2018-05-01');
  const bounced = program.staff[0] ?? '';
  await bounce(bounced);
  const va = await idToken(VA_STAFF);
  const affiliateId = stack().info.demo_data.affiliates.va ?? '';
  await expect
    .poll(async () => ((await api(va, 'GET', `/affiliates/${affiliateId}/mail-suppressions?limit=100`)).json.items as { email: string }[]).map((s) => s.email))
    .toContain(bounced);

  await signIn(page, VA_STAFF);
  await page.getByRole('link', { name: 'Settings and mail suppressions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings of MENTOR Virginia' })).toBeVisible();
  const grace = page.getByLabel('Renewal grace period (months)');
  await expect(grace).toHaveValue('12');

  // Out of range: the API's refusal, beside the field.
  await grace.fill('60');
  await page.getByRole('button', { name: 'Save the settings' }).click();
  await expect(grace).toHaveAccessibleDescription(/At most 36\./);
  await grace.fill('6');
  await page.getByRole('button', { name: 'Save the settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved / })).toBeVisible();
  const saved = await api(va, 'GET', `/affiliates/${affiliateId}`);
  expect(saved.json.renewal_grace_months).toBe(6);

  // A colleague saves 18 meanwhile; this page, at the version it read, saves 9: both values shown, mine kept.
  const colleague = await api(va, 'PATCH', `/affiliates/${affiliateId}`, { renewal_grace_months: 18 }, { 'If-Match': `"${String(saved.json.version)}"` });
  expect(colleague.status).toBe(200);
  await grace.fill('9');
  await page.getByRole('button', { name: 'Save the settings' }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'A colleague changed these settings' });
  await expect(conflict.getByRole('row', { name: 'Renewal grace period (months) 18 9' })).toBeVisible();
  await checkPage(page, 'settings-conflict');
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved / })).toBeVisible();
  const kept = await api(va, 'GET', `/affiliates/${affiliateId}`);
  expect(kept.json.renewal_grace_months).toBe(9);
  expect(kept.json.contact_email).toBe(saved.json.contact_email);

  // The bounced address, why and since when.
  const suppressed = page.getByRole('region', { name: 'Suppressed addresses' });
  await expect(suppressed.getByRole('row', { name: new RegExp(bounced.replace(/[.]/g, '\\.')) })).toContainText('Bounced: the address cannot receive mail');
  await checkPage(page, 'affiliate-settings');

  // Back to the default, for the other specs sharing the stack.
  const restored = await api(va, 'PATCH', `/affiliates/${affiliateId}`, { renewal_grace_months: 12 }, { 'If-Match': `"${String(kept.json.version)}"` });
  expect(restored.status).toBe(200);
});
