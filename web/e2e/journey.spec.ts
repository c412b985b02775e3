import { expect, test, type Page } from '@playwright/test';
import { DESKTOP, PHONE, checkPage, choose, signIn } from './pages';
import { VA_STAFF, api, events, idToken, programWithCycle } from './stack';

async function saveAndContinue(page: Page): Promise<void> {
  const before = page.url();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.waitForURL((u) => u.toString() !== before);
}

/** Keyboard only: Tab to the first radio, Space, Tab on, type, and Enter on the button. */
async function answerByKeyboard(page: Page, rating: number, notes: string): Promise<void> {
  const before = page.url();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value);
    if (focused === 'yes') break;
  }
  await page.keyboard.press('Space'); // Yes
  await page.keyboard.press('Tab'); // into the ratings
  for (let r = 1; r < rating; r++) await page.keyboard.press('ArrowRight');
  if (rating === 1) await page.keyboard.press('Space');
  await page.keyboard.press('Tab'); // notes
  await page.keyboard.type(notes);
  await page.keyboard.press('Tab'); // Save and continue
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.toString() !== before);
}

test('a coordinator answers all 92 items, resumes after a reload, sees blockers and submits once', async ({
  page,
}) => {
  const program = await programWithCycle(['coordinator']);
  const coordinator = program.staff[0] ?? '';
  const token = await idToken(coordinator);
  const instrument = await api(token, 'GET', '/instruments/1');
  const codes = (instrument.json.items as { code: string }[]).map((i) => i.code);
  expect(codes).toHaveLength(92);

  await signIn(page, coordinator);
  await expect(page.getByRole('heading', { level: 1, name: program.name })).toBeVisible();
  await checkPage(page, 'program-home');
  await page.getByRole('link', { name: 'All sections' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Self-assessment' })).toBeVisible();
  await checkPage(page, 'task-list');
  await page.getByRole('link', { name: 'Start' }).click();
  await expect(page).toHaveURL(new RegExp(`/items/${codes[0]}$`));
  await checkPage(page, 'item');

  // Evidence: the limits are said before uploading; upload with progress, linked to the item.
  await page.getByRole('link', { name: `Add evidence for ${codes[0] ?? ''}` }).click();
  await expect(page.getByText('PDF, Word, Excel, PowerPoint, text, CSV, PNG, JPEG; up to 25.0 MB.')).toBeVisible();
  await expect(page.getByLabel(/Items it supports/)).toHaveValue(codes[0] ?? '');
  await page.getByLabel('File').setInputFiles({
    name: 'mission-statement.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% our mission statement\n'.repeat(200)),
  });
  await page.getByLabel(/^Title/).fill('Mission statement');
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText(`mission-statement.pdf is uploaded and linked to ${codes[0] ?? ''}.`)).toBeVisible();
  await expect(page.getByText(`Items: ${codes[0] ?? ''}`)).toBeVisible();
  await checkPage(page, 'evidence');
  await page.getByRole('link', { name: 'Back to the item' }).click();
  await expect(page.getByText('Evidence linked: Mission statement')).toBeVisible();

  let index = 0;
  // Keyboard only: the first four items.
  for (; index < 4; index++) {
    await answerByKeyboard(page, (index % 5) + 1, `Keyboard note ${index}`);
  }
  // A phone: the next ten, by tapping.
  await page.setViewportSize(PHONE);
  for (; index < 14; index++) {
    await choose(page, 'no');
    await saveAndContinue(page);
  }
  await page.setViewportSize(DESKTOP);
  // Typed, then reloaded before the save: the text is still there and is saved.
  await choose(page, 'yes');
  await choose(page, 'rating-4');
  await page.getByLabel(/^Notes/).fill('Typed just before a reload');
  await page.reload();
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Typed just before a reload');
  await expect(page.getByTestId('save-status')).toHaveText(/Saved \d/);
  await saveAndContinue(page);
  index++;
  // Reload mid-way: the task list resumes at the first unanswered item.
  await page.goto(`${new URL(page.url()).origin}/cycles/${program.cycleId}`);
  await page.reload();
  await page.getByRole('link', { name: `Resume where you left off (${codes[index] ?? ''})` }).click();
  await expect(page).toHaveURL(new RegExp(`/items/${codes[index] ?? ''}$`));
  // The rest by pointer, all but the last.
  for (; index < codes.length - 1; index++) {
    await choose(page, 'no');
    await saveAndContinue(page);
  }
  // The readiness check names the unanswered item once, as a link to it.
  const last = codes.at(-1) ?? '';
  await page.goto(`${new URL(page.url()).origin}/cycles/${program.cycleId}/submit`);
  await expect(page.getByRole('heading', { name: '1 thing to do before you can submit' })).toBeVisible();
  await checkPage(page, 'submit-blockers');
  await expect(page.getByRole('region', { name: /before you can submit/ })).not.toContainText(`${last}: `);
  await page.getByRole('link', { name: `Item ${last} has no answer.`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/items/${last}$`));
  await choose(page, 'no');
  await saveAndContinue(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Check and submit' })).toBeVisible();
  await page.locator('label[for="confirm-submit"]').click();
  await checkPage(page, 'submit-ready');
  const submits: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/submit')) {
      submits.push(request.headers()['idempotency-key']);
    }
  });
  await page.getByRole('button', { name: 'Submit the self-assessment' }).dblclick();
  await expect(page.getByRole('heading', { level: 1, name: 'Self-assessment submitted' })).toBeVisible();
  await checkPage(page, 'submitted');

  const cycle = await api(token, 'GET', `/cycles/${program.cycleId}`);
  expect(cycle.json.state).toBe('submitted');
  const answers = await api(token, 'GET', `/cycles/${program.cycleId}/answers`);
  expect((answers.json.progress as { answered: number }).answered).toBe(92);
  const first = (answers.json.items as { code: string; answer: { rating: number; notes: string } }[])[0];
  expect(first?.answer).toMatchObject({ rating: 1, notes: 'Keyboard note 0' });
  const submitted = events().filter(
    (e) => JSON.stringify(e).includes(program.cycleId) && JSON.stringify(e).includes('AssessmentSubmitted'),
  );
  expect(submitted).toHaveLength(1);
  // However many requests the double click made, they carry one Idempotency-Key.
  expect(submits.length).toBeGreaterThanOrEqual(1);
  expect(new Set(submits).size).toBe(1);
  expect(submits[0]).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByText('Not submitted')).toHaveCount(0);

  // Read-only after submission.
  await page.goto(`${new URL(page.url()).origin}/cycles/${program.cycleId}/items/${codes[0] ?? ''}`);
  await expect(page.getByText('answers can no longer change')).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(0);
  await checkPage(page, 'item-read-only');

  // The affiliate flags an item: the program sees the flag and the note addressed to it.
  const va = await idToken(VA_STAFF);
  const me = await api(va, 'GET', '/me');
  const review = `/cycles/${program.cycleId}/review`;
  expect((await api(va, 'PUT', `${review}/reviewer`, { user_id: me.json.user_id })).status).toBe(200);
  const flag = { status: 'flagged', note_to_program: 'Attach the board minutes.', internal_note: 'Weak evidence.' };
  expect((await api(va, 'PUT', `${review}/items/${codes[0] ?? ''}`, flag)).status).toBe(200);
  await page.reload();
  await expect(page.getByText('Flagged by your affiliate: Attach the board minutes.')).toBeVisible();
  await expect(page.getByText('Weak evidence.')).toHaveCount(0);
  await page.goto(`${new URL(page.url()).origin}/cycles/${program.cycleId}`);
  await expect(page.getByRole('heading', { name: 'Flagged by your affiliate' })).toBeVisible();
  await checkPage(page, 'task-list-flagged');
});
