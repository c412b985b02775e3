/** Steps every browser test takes: sign in, check a page with axe, screenshot it at both sizes. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, SCREENSHOTS, stack } from './stack';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Sign in on the home page; done once signed in (or asked for a new password, on a first sign-in). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(stack().webUrl);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(
    page.getByRole('button', { name: 'Sign out' }).or(page.getByRole('heading', { name: 'Choose your password' })),
  ).toBeVisible();
}

/** No WCAG 2.2 A/AA violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(found, `axe on ${page.url()}`).toEqual([]);
}

/** axe, then a full-page screenshot at desktop and phone sizes (screenshots/NAME-*.png). */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size}.png`), fullPage: true });
  }
  await expectAccessible(page);
  await page.setViewportSize(before);
}

/** Click the label of an item's radio (USWDS draws the label; the input itself is hidden). */
export async function choose(page: Page, value: 'yes' | 'no' | 'n/a' | `rating-${number}`): Promise<void> {
  await page.locator(`label[for$="-${value}"]`).click();
}
