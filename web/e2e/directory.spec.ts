/**
 * The public partner directory, with no sign-in: programs holding a valid badge, searched by
 * name, filtered by state and affiliate, paged, each linking to its badge's verification page.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { checkPage } from './pages';
import { finishCycle, idToken, programOf, stack, waitForBadges } from './stack';

test('the partner directory: search, state and affiliate filters, paging, the verify page', async ({ browser }) => {
  test.setTimeout(180_000);
  const tag = randomUUID().slice(0, 6);
  const [lantern, prairie] = await Promise.all([
    programOf('va', `Lantern ${tag} Mentors`),
    programOf('ne', `Prairie ${tag} Mentors`),
  ]);
  await Promise.all(
    [lantern, prairie].map(async (p) => {
      await finishCycle(p.affiliateStaff, p.staff[0] ?? '', p.cycleId);
      // The directory is cacheable for five minutes (Cache-Control): read it once the badges exist.
      await waitForBadges(await idToken(p.affiliateStaff), p.programId);
    }),
  );

  const context = await browser.newContext(); // nobody signed in
  const page = await context.newPage();
  const entries = page.getByTestId('directory-entry');
  const web = stack().webUrl;
  await page.goto(`${web}/directory?name=${tag}`);
  await expect(entries).toHaveCount(2);
  await expect(page.getByRole('heading', { level: 1, name: 'Quality mentoring programs' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await expect(entries.nth(0)).toContainText(lantern.name);
  await expect(entries.nth(0)).toContainText('Initiated in NQMS');
  await expect(entries.nth(0)).toContainText('MENTOR Virginia, VA');
  await expect(entries.nth(1)).toContainText(prairie.name);
  await checkPage(page, 'directory');

  // The search box, typed in from the start.
  await page.goto(`${web}/directory`);
  await page.getByLabel('Program name').fill(`prairie ${tag}`);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(prairie.name);
  await expect(page).toHaveURL(/name=prairie/);

  // The state filter (the affiliate's state), then the affiliate filter.
  await page.getByLabel('Program name').fill(tag);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(entries).toHaveCount(2);
  await page.getByLabel('State').selectOption({ label: 'Nebraska' });
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(prairie.name);
  await page.getByLabel('State').selectOption({ label: 'Virginia' });
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(lantern.name);
  await page.getByLabel('State').selectOption({ label: 'All states' });
  await expect(entries).toHaveCount(2);
  await page.getByLabel('Affiliate').selectOption({ label: 'MENTOR Nebraska' });
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(prairie.name);
  await expect(page).toHaveURL(/affiliate=aff_/);
  await page.getByLabel('Affiliate').selectOption({ label: 'All affiliates' });
  await expect(entries).toHaveCount(2);
  await entries
    .filter({ hasText: lantern.name })
    .getByRole('button', { name: /Only this affiliate's programs/ })
    .click();
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(lantern.name);

  // Paging through the real API, its page made one program long (the directory has a few here).
  await page.route('**/directory/quality-programs?**', async (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set('limit', '1');
    await route.continue({ url: url.toString() });
  });
  await page.goto(`${web}/directory`);
  await expect(entries).toHaveCount(1);
  await expect(page.getByRole('status')).toHaveText('Programs 1–1');
  const firstName = await entries.first().getByRole('heading').textContent();
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByRole('status')).toHaveText(/^Programs 2–2/);
  await expect(entries.first().getByRole('heading')).not.toHaveText(firstName ?? '');
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByRole('status')).toHaveText('Programs 1–1');
  await expect(entries.first().getByRole('heading')).toHaveText(firstName ?? '');
  await expect(page.getByRole('button', { name: 'Previous page' })).toHaveCount(0);
  await page.unrouteAll();

  // Each entry links to its badge's verification page: the API's own HTML, active.
  await page.goto(`${web}/directory?name=${tag}&state=VA`);
  await page.getByRole('link', { name: `Verify the badge of ${lantern.name}` }).click();
  await expect(page.locator('body')).toContainText(lantern.name);
  await expect(page.locator('body')).toContainText(/active/i);
  await checkPage(page, 'directory-verify');
  await context.close();
});
