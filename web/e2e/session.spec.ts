import { expect, test } from '@playwright/test';
import { choose, signIn } from './pages';
import { DEMO_PASSWORD, api, idToken, programWithCycle, stack } from './stack';

test('the session ends while someone types: nothing is lost, the save goes through after signing in', async ({
  page,
}) => {
  const program = await programWithCycle(['gus']);
  const gus = program.staff[0] ?? '';
  await signIn(page, gus);
  await page.goto(`${stack().webUrl}/cycles/${program.cycleId}/items/A4`);
  await expect(page.getByLabel(/^Notes/)).toBeVisible();

  // The API no longer takes the token, and the pool no longer renews it (the session ended).
  const answers = `${stack().info.api_url}/cycles/${program.cycleId}/answers/**`;
  await page.route(answers, (route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({ status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' })
      : route.continue(),
  );
  await page.route(`${stack().info.moto_url}/`, (route) =>
    (route.request().postData() ?? '').includes('REFRESH_TOKEN_AUTH')
      ? route.fulfill({
          status: 400,
          contentType: 'application/x-amz-json-1.1',
          body: JSON.stringify({ __type: 'NotAuthorizedException', message: 'Refresh Token has expired' }),
        })
      : route.continue(),
  );
  await choose(page, 'no');
  await page.getByLabel(/^Notes/).fill('Typed as the session ended');
  await expect(page.getByRole('heading', { name: 'Your session ended' })).toBeVisible();

  await page.unroute(answers);
  await page.unroute(`${stack().info.moto_url}/`);
  await page.getByLabel('Email address').fill(gus);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/items\/A4$/);
  await expect(page.getByLabel(/^Notes/)).toHaveValue('Typed as the session ended');
  await expect(page.getByTestId('save-status')).toHaveText(/Saved \d/);
  const stored = await api(await idToken(gus), 'GET', `/cycles/${program.cycleId}/answers`);
  const answer = (stored.json.items as { code: string; answer: Record<string, unknown> | null }[]).find(
    (i) => i.code === 'A4',
  )?.answer;
  expect(answer).toMatchObject({ in_practice: 'no', notes: 'Typed as the session ended' });
});
