/**
 * Every role sees only what it may: another affiliate's staff and another program's staff who
 * open an object by its address read "Not found" (the API's 404), not an error page, and the
 * object's data never shows, not even while the page loads. (cycle.spec.ts and
 * progress.spec.ts check Nebraska's staff on a review, a program and its progress page.)
 */
import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn } from './pages';
import { finishCycle, programOf, stack, type Program } from './stack';

/** The addresses of a program's objects: the program, its cycle, review, plan, an item, badges, progress. */
const addresses = (p: Program) => [
  `/programs/${p.programId}`,
  `/cycles/${p.cycleId}`,
  `/cycles/${p.cycleId}/items/A1`,
  `/cycles/${p.cycleId}/review`,
  `/cycles/${p.cycleId}/plan`,
  `/programs/${p.programId}/badges`,
  `/programs/${p.programId}/progress`,
  `/programs/${p.programId}/evidence`,
];

/** ``email`` signed in, in a context that records any moment ``secret`` shows in a page (window.leaked). */
async function watching(browser: Browser, email: string, secret: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript((name: string) => {
    const look = () => {
      if (document.documentElement.innerText.includes(name)) (window as unknown as { leaked: string }).leaked = location.pathname;
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  }, secret);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

const leaked = (page: Page) => page.evaluate(() => (window as unknown as { leaked?: string }).leaked ?? null);

/** ``email`` opens each of ``other``'s addresses: "Not found", and ``other``'s name never in the page. */
async function expectNotFound(browser: Browser, email: string, other: Program, extra: string[] = []): Promise<void> {
  const page = await watching(browser, email, other.name);
  for (const path of [...addresses(other), ...extra]) {
    await page.goto(`${stack().webUrl}${path}`);
    await expect(page.getByRole('heading', { name: 'Not found' }), path).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Cannot show this page' }), path).toHaveCount(0);
    expect(await leaked(page), path).toBeNull();
  }
  await page.context().close();
}

test('another affiliate’s staff and another program’s staff read "Not found" for each other’s objects', async ({ browser }) => {
  test.setTimeout(150_000);
  const tag = randomUUID().slice(0, 6);
  const [virginia, nebraska] = await Promise.all([
    programOf('va', `Tamarack ${tag} Mentors`),
    programOf('ne', `Cottonwood ${tag} Mentors`),
  ]);
  // Virginia's program has a badge and a plan; Nebraska's a cycle just opened.
  await finishCycle(virginia.affiliateStaff, virginia.staff[0] ?? '', virginia.cycleId);
  const { va, ne } = stack().info.demo_data.affiliates;

  // The watch sees a name that does show: the program's own staff on its badges page.
  const own = await watching(browser, virginia.staff[0] ?? '', virginia.name);
  await own.goto(`${stack().webUrl}/programs/${virginia.programId}/badges`);
  await expect(own.getByRole('heading', { level: 1, name: 'Badges' })).toBeVisible();
  await expect.poll(() => leaked(own)).toBe(`/programs/${virginia.programId}/badges`);
  await own.context().close();

  // Each program's staff, the other program's objects (and the other affiliate's findings).
  await expectNotFound(browser, nebraska.staff[0] ?? '', virginia, [`/affiliates/${va ?? ''}/aggregates`]);
  await expectNotFound(browser, virginia.staff[0] ?? '', nebraska, [`/affiliates/${ne ?? ''}/aggregates`]);
  // Each affiliate's staff, the other affiliate's program.
  await expectNotFound(browser, nebraska.affiliateStaff, virginia, [`/affiliates/${va ?? ''}/aggregates`]);
  await expectNotFound(browser, virginia.affiliateStaff, nebraska, [`/affiliates/${ne ?? ''}/aggregates`]);
});
