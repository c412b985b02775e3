import { expect, test } from '@playwright/test';
import { checkPage, choose, signIn } from './pages';
import { api, idToken, programWithCycle, stack } from './stack';

test('the API is unreachable during a save: the text stays, the status says so, the save goes through later', async ({
  page,
}) => {
  const program = await programWithCycle(['cleo']);
  const cleo = program.staff[0] ?? '';
  await signIn(page, cleo);
  await page.goto(`${stack().webUrl}/cycles/${program.cycleId}/items/A3`);
  await expect(page.getByLabel(/^Notes/)).toBeVisible();

  const answers = `${stack().info.api_url}/cycles/${program.cycleId}/answers/**`;
  await page.route(answers, (route) => route.abort('internetdisconnected'));
  await choose(page, 'no');
  await page.getByLabel(/^Notes/).fill('Written while the connection was down');
  await expect(page.getByTestId('save-status')).toContainText('Not saved: no connection');
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Written while the connection was down');
  await checkPage(page, 'item-offline');

  // Nothing is lost on a reload before the save went through.
  await page.reload();
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Written while the connection was down');
  await expect(page.getByTestId('save-status')).toContainText('Not saved');

  await page.unroute(answers);
  await expect(page.getByTestId('save-status')).toHaveText(/Saved \d/, { timeout: 20_000 });
  const stored = await api(await idToken(cleo), 'GET', `/cycles/${program.cycleId}/answers`);
  const answer = (stored.json.items as { code: string; answer: Record<string, unknown> | null }[]).find(
    (i) => i.code === 'A3',
  )?.answer;
  expect(answer).toMatchObject({ in_practice: 'no', notes: 'Written while the connection was down' });
});
