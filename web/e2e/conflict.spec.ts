import { expect, test } from '@playwright/test';
import { checkPage, choose, signIn } from './pages';
import { api, idToken, programWithCycle, stack } from './stack';

test('two colleagues edit the same item: the second sees both answers and chooses', async ({ browser }) => {
  const program = await programWithCycle(['ana', 'ben']);
  const [ana, ben] = program.staff as [string, string];
  const item = `${stack().webUrl}/cycles/${program.cycleId}/items/A2`;
  const anaContext = await browser.newContext();
  const benContext = await browser.newContext();
  const anaPage = await anaContext.newPage();
  const benPage = await benContext.newPage();
  await signIn(anaPage, ana);
  await signIn(benPage, ben);
  await anaPage.goto(item);
  await benPage.goto(item); // Ben reads the item before Ana saves
  await expect(benPage.getByLabel(/^Notes/)).toBeVisible();

  await choose(anaPage, 'no');
  await anaPage.getByLabel(/^Notes/).fill('Ana: the board reviewed the mission in March.');
  await expect(anaPage.getByTestId('save-status')).toHaveText(/Saved \d/);

  await choose(benPage, 'yes');
  await choose(benPage, 'rating-3');
  await benPage.getByLabel(/^Notes/).fill('Ben: the mission is on the website.');
  const conflict = benPage.getByTestId('conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('Ana: the board reviewed the mission in March.');
  await expect(conflict).toContainText('Ben: the mission is on the website.');
  await expect(benPage.getByTestId('save-status')).toContainText('a colleague saved this item first');
  await checkPage(benPage, 'item-conflict');

  await benPage.getByRole('button', { name: 'Keep mine and merge the notes' }).click();
  await expect(benPage.getByTestId('save-status')).toHaveText(/Saved \d/);
  await expect(conflict).toHaveCount(0);

  const stored = await api(await idToken(ben), 'GET', `/cycles/${program.cycleId}/answers`);
  const answer = (stored.json.items as { code: string; answer: Record<string, unknown> | null }[]).find(
    (i) => i.code === 'A2',
  )?.answer;
  expect(answer).toMatchObject({
    in_practice: 'yes',
    rating: 3,
    notes: 'Ben: the mission is on the website.\n\nAna: the board reviewed the mission in March.',
  });
  await anaContext.close();
  await benContext.close();
});
