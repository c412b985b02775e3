/**
 * Reports in the client: a cycle's documents downloaded by the affiliate's staff and the
 * program's staff (the link asked for with the token, the file fetched from storage without
 * it), and the affiliate's aggregate with its withheld group shown as withheld.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { checkPage, signIn } from './pages';
import { answerAll, api, finishCycle, idToken, programOf, stack } from './stack';

const ASSESSMENT_CSV_HEADER =
  'Assessment name,Created,Submitted for review,Program ID,Program title,Section title,Question text,Rating,Notes,' +
  'Section average rating,Goals set,Goal name,Goal baseline,Goal target,Goal achieved,Goal status';
const GOALS_CSV_HEADER =
  'Assessment name,Program ID,Program title,Goal name,Item,Question text,Goal baseline,Goal target,Goal achieved,' +
  'Goal status,Start date,Target date';

/** Press a document's Download button; the file as it arrived, and the request that fetched it. */
async function download(page: Page, label: string): Promise<{ name: string; body: Buffer; authorization: string | undefined }> {
  const fromStorage = page.waitForRequest((r) => r.url().startsWith(stack().info.moto_url) && r.url().includes('/documents/'));
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download ${label}`, exact: true }).click(),
  ]);
  const request = await fromStorage;
  return {
    name: file.suggestedFilename(),
    body: readFileSync(await file.path()),
    authorization: (await request.allHeaders()).authorization,
  };
}

const firstLine = (body: Buffer) => body.toString('utf8').replace(/^\ufeff/, '').split('\r\n')[0];

test('a cycle’s documents: the assessment PDF and CSV, the plan PDF and the goals CSV', async ({ browser }) => {
  test.setTimeout(150_000);
  const program = await programOf('va', `Compass ${randomUUID().slice(0, 6)} Mentors`);
  await finishCycle(program.affiliateStaff, program.staff[0] ?? '', program.cycleId);
  const web = stack().webUrl;

  // The affiliate's staff, on the self-assessment.
  const affiliate = await (await browser.newContext()).newPage();
  await signIn(affiliate, program.affiliateStaff);
  await affiliate.goto(`${web}/cycles/${program.cycleId}`);
  const documents = affiliate.getByRole('region', { name: 'Reports' });
  await expect(documents.getByRole('button', { name: 'Download Self-assessment (PDF)', exact: true })).toBeVisible();

  const pdf = await download(affiliate, 'Self-assessment (PDF)');
  expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.name).toMatch(/\.pdf$/);
  expect(pdf.authorization, 'storage gets no token').toBeUndefined();
  const size = Math.round(pdf.body.length / 1024);
  await expect(affiliate.getByTestId('document-assessment.pdf').getByRole('status')).toHaveText(
    `Downloaded: PDF, ${String(size)} KB`,
  );
  await expect(affiliate.getByTestId('document-assessment.pdf').getByRole('button')).toHaveText(
    'Download again Self-assessment (PDF)',
  );

  const withGoals = await download(affiliate, 'Self-assessment with the goals (PDF)');
  expect(withGoals.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(withGoals.body.length, 'the goals make it longer').toBeGreaterThan(pdf.body.length);

  const csv = await download(affiliate, 'Self-assessment (CSV)');
  expect(csv.name).toMatch(/\.csv$/);
  expect(firstLine(csv.body)).toBe(ASSESSMENT_CSV_HEADER);
  expect(csv.body.toString('utf8')).toContain(program.name);
  await expect(affiliate.getByTestId('document-assessment.csv').getByRole('status')).toContainText('Downloaded: CSV,');
  await checkPage(affiliate, 'documents');

  // The same documents from the review page.
  await affiliate.goto(`${web}/cycles/${program.cycleId}/review`);
  const fromReview = await download(affiliate, 'Self-assessment (CSV)');
  expect(firstLine(fromReview.body)).toBe(ASSESSMENT_CSV_HEADER);

  // The program's staff, on the plan.
  const own = await (await browser.newContext()).newPage();
  await signIn(own, program.staff[0] ?? '');
  await own.goto(`${web}/cycles/${program.cycleId}/plan`);
  const plan = await download(own, 'Improvement and Innovation Plan (PDF)');
  expect(plan.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(plan.authorization).toBeUndefined();
  const goals = await download(own, 'Goals (CSV)');
  const rows = goals.body.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  expect(rows[0]).toBe(GOALS_CSV_HEADER);
  expect(rows).toHaveLength(1 + 3); // the header and the plan's three goals
  await expect(own.getByTestId('document-goals.csv').getByRole('status')).toContainText('Downloaded: CSV,');
  await checkPage(own, 'documents-plan');
});

test('an affiliate’s findings across its programs: a group under 5 programs reads withheld', async ({ browser }) => {
  test.setTimeout(120_000);
  // One of Nebraska's programs submits: Nebraska serves fewer than 5 programs with a submission.
  const program = await programOf('ne', `Sandhill ${randomUUID().slice(0, 6)} Mentors`);
  const own = await idToken(program.staff[0] ?? '');
  await answerAll(own, program.cycleId);
  expect((await api(own, 'POST', `/cycles/${program.cycleId}/submit`)).status).toBe(200);
  const ne = stack().info.demo_data.affiliates.ne ?? '';
  const staff = await idToken(program.affiliateStaff);
  // The aggregates are kept from the events: wait until the submission is counted (withheld).
  await expect
    .poll(async () => (await api(staff, 'GET', `/affiliates/${ne}/aggregates?instrumentVersion=1&period=all`)).json.withheld, {
      timeout: 30_000,
    })
    .toBe(true);

  const page = await (await browser.newContext()).newPage();
  await signIn(page, program.affiliateStaff);
  await page.getByRole('link', { name: 'Findings across your programs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Findings across your programs' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Figures withheld' })).toBeVisible();
  const counts = page.getByTestId('aggregate-counts');
  await expect(counts.getByText('Withheld (fewer than 5 programs)')).toHaveCount(2);
  const section = page.getByTestId('section-A');
  await expect(section.getByRole('cell')).toHaveText(['Withheld', 'Withheld']);
  await expect(page.getByRole('table', { name: 'Program Operations: per section (withheld: fewer than 5 programs)' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(3); // a table per part of the instrument
  await checkPage(page, 'aggregates');

  // This year only: the period is in the address; still withheld.
  const year = String(new Date().getFullYear());
  await page.getByLabel('Submitted in').selectOption(year);
  await expect(page).toHaveURL(new RegExp(`period=${year}`));
  await expect(section.getByRole('cell').first()).toHaveText('Withheld');
  await page.reload();
  await expect(page.getByLabel('Submitted in')).toHaveValue(year);

  // Another affiliate's findings: not found.
  const va = stack().info.demo_data.affiliates.va ?? '';
  await page.goto(`${stack().webUrl}/affiliates/${va}/aggregates`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});
