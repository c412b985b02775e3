/**
 * Issue 23: with the local stack run as of a date past a badge's expiry, the program's badges
 * page, the badge's image, its verification page and the partner directory all say so, in the
 * browser. The spec runs a stack of its own (the shared one keeps today's clock): started fresh
 * today, a program earns its Step 1 badge through the API; stopped (its state saved) and started
 * again from that state as of a week past the badge's last valid day.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startStack, stopStack } from './global-setup';
import { checkPage, signIn } from './pages';
import { api, finishCycle, idToken, programOf, stack, switchStack, waitForBadges } from './stack';

type Badge = { badge_id: string; status: string; valid_until: string; image: string; verify_url: string };

/** The program's listed name in the public directory's first page of its affiliate (no token). */
async function listed(affiliateId: string): Promise<string[]> {
  const response = await fetch(`${stack().info.api_url}/directory/quality-programs?affiliateId=${affiliateId}&limit=100`);
  const page = (await response.json()) as { items: { program_name: string }[] };
  return page.items.map((p) => p.program_name);
}

const dayAfter = (iso: string, days: number) => new Date(Date.parse(`${iso}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

test('past its expiry: the badges page, the image, the verify page and the directory say expired', async ({ browser }) => {
  test.setTimeout(180_000);
  const stateDir = mkdtempSync(join(tmpdir(), 'nqms-web-expiry-'));
  let started = await startStack(stateDir, ['--fresh']);
  try {
    switchStack(started.running);
    const program = await programOf('va', `Juniper ${randomUUID().slice(0, 6)} Mentors`);
    const person = program.staff[0] ?? '';
    await finishCycle(program.affiliateStaff, person, program.cycleId);
    await waitForBadges(await idToken(person), program.programId);
    const today = (await api(await idToken(person), 'GET', `/programs/${program.programId}/badges`)).json.items as Badge[];
    expect(today.map((b) => b.status)).toEqual(['active']);
    const va = stack().info.demo_data.affiliates.va ?? '';
    expect(await listed(va)).toContain(program.name);

    // The same data, the clock a week past the badge's last valid day.
    await stopStack(started.child);
    const asOf = dayAfter(today[0]?.valid_until ?? '', 7);
    started = await startStack(stateDir, ['--as-of', asOf]);
    switchStack(started.running);
    const web = stack().webUrl;

    const page = await (await browser.newContext()).newPage();
    await signIn(page, person);
    await page.goto(`${web}/programs/${program.programId}/badges`);
    const card = page.getByTestId('badge');
    await expect(card.getByTestId('badge-status')).toHaveText('Expired');
    await expect(card.getByRole('img')).toHaveAttribute('alt', /Expired/);
    await expect.poll(() => card.getByRole('img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
    await checkPage(page, 'badges-expired');
    const image = (await card.getByRole('img').getAttribute('src')) ?? '';
    const verifyUrl = (await card.getByRole('link', { name: /Verification page/ }).getAttribute('href')) ?? '';

    // With no sign-in: the image, the verification page, the directory.
    const partner = await (await browser.newContext()).newPage();
    await partner.goto(image);
    await expect(partner.locator('svg')).toContainText('Expired');
    await partner.goto(verifyUrl);
    await expect(partner.locator('body')).toContainText('has expired');
    await checkPage(partner, 'verify-expired');
    await partner.goto(`${web}/directory?name=${encodeURIComponent(program.name)}`);
    await expect(partner.getByText(/No program found with a badge valid today\. A program whose badge expired or was revoked is not listed\./)).toBeVisible();
    expect(await listed(va)).not.toContain(program.name);
    await checkPage(partner, 'directory-expired');
  } finally {
    switchStack(null);
    await stopStack(started.child);
  }
});
