/**
 * An affiliate's findings with a group large enough to show: five of Virginia's programs submit
 * (through the API) on a stack of the spec's own, fresh, so that no other spec's programs change
 * what is counted or withheld. (reports.spec.ts shows a withheld group on the shared stack.)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startStack, stopStack } from './global-setup';
import { checkPage, signIn } from './pages';
import { VA_STAFF, api, idToken, stack, submittedProgram, switchStack } from './stack';

test('an affiliate’s findings: five programs counted, each section’s figures shown', async ({ browser }) => {
  test.setTimeout(180_000);
  const started = await startStack(mkdtempSync(join(tmpdir(), 'nqms-web-aggregates-')), ['--fresh']);
  try {
    switchStack(started.running);
    const tag = randomUUID().slice(0, 6);
    const ratings = [2, 3, 3, 4, 5]; // section A: an average of 3.4, every practice in place
    await Promise.all(ratings.map((rating, i) => submittedProgram('va', `Aspen ${tag} ${String(i)}`, rating)));
    const va = stack().info.demo_data.affiliates.va ?? '';
    const staff = await idToken(VA_STAFF);
    await expect
      .poll(async () => (await api(staff, 'GET', `/affiliates/${va}/aggregates?instrumentVersion=1&period=all`)).json.programs, {
        timeout: 30_000,
      })
      .toBe(5);

    const page = await (await browser.newContext()).newPage();
    await signIn(page, VA_STAFF);
    await page.getByRole('link', { name: 'Findings across your programs' }).click();
    const counts = page.getByTestId('aggregate-counts');
    await expect(counts.getByRole('definition')).toHaveText(['5', '5']);
    await expect(page.getByTestId('section-A').getByRole('cell')).toHaveText(['3.4', '100%']);
    await expect(page.getByTestId('part-design-total').getByRole('cell')).toHaveText(['3.4', '100%']);
    await expect(page.getByRole('cell', { name: 'Withheld' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: /withheld/i })).toHaveCount(0);
    await checkPage(page, 'aggregates-shown');

    // An earlier year: nothing submitted then.
    await page.getByLabel('Submitted in').selectOption(String(new Date().getFullYear() - 1));
    await expect(page.getByRole('heading', { name: 'Nothing counted yet' })).toBeVisible();
    await expect(counts.getByRole('definition')).toHaveText(['0', '0']);
    await expect(page.getByTestId('section-A').getByRole('cell')).toHaveText(['no rating', 'none answered']);
  } finally {
    switchStack(null);
    await stopStack(started.child);
  }
});
