/**
 * National staff's findings across the country and the research export, on a stack of the
 * spec's own (fresh: no other spec's programs change what is counted or withheld). Four of
 * Virginia's programs and one of Nebraska's submit through the API: the country's five are shown,
 * each affiliate's group (under five) is withheld. The export is made by the job through the event
 * bus, then downloaded from storage without the token. National staff without the results grant
 * read the API's 403 on both pages.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { nationalStaffWithoutGrant } from './admin-stack';
import { startStack, stopStack } from './global-setup';
import { checkPage, signIn } from './pages';
import { api, idToken, stack, submittedProgram, switchStack } from './stack';

const ADMIN = 'admin@mentor-national.example'; // the demo admin holds the results grant

type Grid = { scope: string; period: string; programs: number | null; withheld: boolean }[];

/** Press a download button; the file as it arrived, and whether storage was sent a token. */
async function download(page: Page, label: string): Promise<{ name: string; text: string; authorization: string | undefined }> {
  const fromStorage = page.waitForRequest((r) => r.url().startsWith(stack().info.moto_url) && r.url().includes('research-exports'));
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
  const request = await fromStorage;
  return {
    name: file.suggestedFilename(),
    text: readFileSync(await file.path(), 'utf8').replace(/^\uFEFF/, ''),
    authorization: (await request.allHeaders()).authorization,
  };
}

test('national staff: the country’s findings, the programs counted per affiliate, the research export', async ({ browser }) => {
  test.setTimeout(180_000);
  const started = await startStack(mkdtempSync(join(tmpdir(), 'nqms-web-national-')), ['--fresh']);
  try {
    switchStack(started.running);
    const tag = randomUUID().slice(0, 6);
    const ratings = [2, 3, 3, 4, 5]; // section A: an average of 3.4, every practice in place
    const affiliates = ['va', 'va', 'va', 'va', 'ne'] as const;
    await Promise.all(ratings.map((rating, i) => submittedProgram(affiliates[i] ?? 'va', `Juniper ${tag} ${String(i)}`, rating)));
    const admin = await idToken(ADMIN);
    const country = async () => (await api(admin, 'GET', '/aggregates?instrumentVersion=1&period=all')).json;
    await expect.poll(async () => (((await country()).aggregate ?? {}) as { programs?: number }).programs, { timeout: 30_000 }).toBe(5);
    const grid = (await country()).grid as Grid;
    const { va = '', ne = '' } = stack().info.demo_data.affiliates;
    const cell = (scope: string) => grid.find((c) => c.scope === scope && c.period === 'all');
    // What the API decided (the page must show the same): the country shown, each affiliate withheld.
    expect(cell('country')).toMatchObject({ programs: 5, withheld: false });
    expect(cell(va)).toMatchObject({ programs: null, withheld: true });
    expect(cell(ne)).toMatchObject({ programs: null, withheld: true });

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'Findings across the country' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Findings across the country' })).toBeVisible();
    const counts = page.getByTestId('aggregate-counts');
    await expect(counts.getByRole('definition')).toHaveText(['5', '5']);
    await expect(page.getByTestId('section-A').getByRole('cell')).toHaveText(['3.4', '100%']);
    await expect(page.getByTestId('part-design-total').getByRole('cell')).toHaveText(['3.4', '100%']);
    await expect(page.getByRole('heading', { name: 'Figures withheld' })).toHaveCount(0);
    const counted = page.getByRole('region', { name: /^Programs counted, per affiliate/ });
    await expect(counted.getByRole('row')).toHaveText([
      /Affiliate\s*Programs counted/,
      /The whole country\s*5/,
      /MENTOR Nebraska\s*Withheld/,
      /MENTOR Virginia\s*Withheld/,
    ]);
    await checkPage(page, 'national-findings');

    // An earlier year, kept in the address: nothing submitted then, every affiliate at none.
    const earlier = String(new Date().getFullYear() - 1);
    await page.getByLabel('Submitted in').selectOption(earlier);
    await expect(page).toHaveURL(new RegExp(`[?&]period=${earlier}`));
    await page.reload();
    await expect(page.getByLabel('Submitted in')).toHaveValue(earlier);
    await expect(page.getByRole('heading', { name: 'Nothing counted yet' })).toBeVisible();
    await expect(counts.getByRole('definition')).toHaveText(['0', '0']);
    await expect(page.getByTestId('section-A').getByRole('cell')).toHaveText(['no rating', 'none answered']);
    await expect(counted.getByRole('row', { name: /The whole country/ })).toHaveText(/The whole country\s*0/);

    // The research export: requested, made by the job (the page asks until it is ready), downloaded.
    await page.getByRole('link', { name: 'Back to the national home' }).click();
    await page.getByRole('link', { name: 'Research export' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Research export' })).toBeVisible();
    await expect(page.getByLabel('Instrument version')).toHaveValue('1');
    await page.getByRole('button', { name: 'Request the export' }).click();
    await expect(page).toHaveURL(/[?&]export=rex_[0-9a-f]{20}/);
    const state = page.getByTestId('research-export').getByRole('status');
    await expect(state).toHaveText(/Ready: 5 self-assessments exported/, { timeout: 60_000 });
    await checkPage(page, 'research-export-ready');
    const csv = await download(page, 'Download the export (CSV)');
    expect(csv.authorization, 'storage gets no token').toBeUndefined();
    expect(csv.name).toMatch(/^nqms-research-export-rex_[0-9a-f]{20}\.csv$/);
    const [header = '', ...rows] = csv.text.trim().split(/\r?\n/);
    expect(header).toMatch(/^program,cycle,instrument_version,year_submitted,Q_A1_in_practice,Q_A1_rating,/);
    expect(header).toMatch(/,goal_5_item,goal_5_baseline_rating,goal_5_target_rating,goal_5_achieved_rating,goal_5_status$/);
    expect(rows).toHaveLength(5);
    const codebook = await download(page, 'Download the codebook (CSV)');
    expect(codebook.authorization).toBeUndefined();
    expect(codebook.text).toContain('Q_A1_rating');
    // Reloaded, the page still follows the same export (it is in the address).
    await page.reload();
    await expect(state).toHaveText(/Ready: 5 self-assessments exported/);
    await context.close();

    // National staff without the results grant: the API's 403 on both pages, under the page's title.
    const nora = `nora.${tag}@mentor-national.example`;
    nationalStaffWithoutGrant(nora, 'Nora-Nogrant-2026');
    const noraContext = await browser.newContext();
    const noGrant = await noraContext.newPage();
    await signIn(noGrant, nora, 'Nora-Nogrant-2026');
    await expect(noGrant.getByRole('link', { name: 'Findings across the country' })).toHaveCount(0);
    await noGrant.goto(`${stack().webUrl}/aggregates`);
    await expect(noGrant.getByRole('heading', { level: 1, name: 'Findings across the country' })).toBeVisible();
    await expect(noGrant.getByRole('heading', { name: 'Not yours to read' })).toBeVisible();
    await expect(noGrant.getByRole('table')).toHaveCount(0);
    await checkPage(noGrant, 'national-findings-no-grant');
    await noGrant.goto(`${stack().webUrl}/research-exports`);
    await noGrant.getByRole('button', { name: 'Request the export' }).click();
    await expect(noGrant.getByRole('alert')).toContainText('You may not do this');
    await expect(noGrant).not.toHaveURL(/export=/);
    await noraContext.close();
  } finally {
    switchStack(null);
    await stopStack(started.child);
  }
});
