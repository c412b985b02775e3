/**
 * Enrolling a program with a secondary affiliate. Affiliate staff list only their own affiliates
 * (GET /affiliates), so the choice is offered to someone on the staff of two: Dana, Virginia's and
 * Nebraska's, enrolls a program with Virginia as its primary affiliate and Nebraska serving it
 * too; Nebraska's staff then see it. Virginia's own staff (one affiliate) are offered no choice.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { checkPage, signIn } from './pages';
import { VA_STAFF, activate, api, idToken, stack } from './stack';

const NE_STAFF = 'staff@mentor-ne.example';

test('staff of two affiliates enroll a program served by both; the second affiliate’s staff see it', async ({ browser }) => {
  test.setTimeout(90_000);
  const tag = randomUUID().slice(0, 6);
  const { va = '', ne = '' } = stack().info.demo_data.affiliates;
  // Dana joins Virginia's staff (a new account), then accepts Nebraska's invitation.
  const dana = `dana.${tag}@affiliates.example`;
  const vera = await idToken(VA_STAFF);
  expect((await api(vera, 'POST', `/affiliates/${va}/members`, { email: dana, name: 'Dana Dual' })).status).toBe(201);
  await activate(dana);
  const ned = await idToken(NE_STAFF);
  expect((await api(ned, 'POST', `/affiliates/${ne}/members`, { email: dana, name: 'Dana Dual' })).status).toBe(201);
  const danaToken = await idToken(dana);
  const invitations = (await api(danaToken, 'GET', '/me/invitations')).json.items as { invitation_id: string; scope_id: string }[];
  const invitation = invitations.find((i) => i.scope_id === ne);
  expect(invitation, 'Nebraska invited Dana').toBeDefined();
  expect((await api(danaToken, 'POST', `/me/invitations/${invitation?.invitation_id ?? ''}/accept`)).status).toBe(200);

  // Virginia's own staff: one affiliate, nothing else to name.
  const veraContext = await browser.newContext();
  const veraPage = await veraContext.newPage();
  await signIn(veraPage, VA_STAFF);
  await veraPage.goto(`${stack().webUrl}/affiliates/${va}/programs/new`);
  await expect(veraPage.getByRole('heading', { level: 1, name: 'Enroll a program' })).toBeVisible();
  await expect(veraPage.getByLabel('Program name')).toBeVisible();
  await expect(veraPage.getByRole('group', { name: /Other affiliates serving the program/ })).toHaveCount(0);
  await veraContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, dana);
  await page.goto(`${stack().webUrl}/affiliates/${va}/programs/new`);
  const others = page.getByRole('group', { name: /Other affiliates serving the program/ });
  await expect(others.getByRole('checkbox')).toHaveCount(1);
  await expect(others.getByRole('checkbox', { name: /MENTOR Nebraska/ })).not.toBeChecked();
  const name = `Two Rivers ${tag}`;
  await page.getByLabel('Program name').fill(name);
  await page.getByLabel('Matching mentors and mentees since').fill('2019-09-01');
  await page.getByLabel('Name', { exact: true }).fill('Rita Rivers');
  await page.getByLabel('Email', { exact: true }).fill(`contact@two-rivers-${tag}.example`);
  await others.getByText('MENTOR Nebraska').click(); // USWDS draws the label; the input itself is hidden
  await expect(others.getByRole('checkbox', { name: /MENTOR Nebraska/ })).toBeChecked();
  await checkPage(page, 'enroll-secondary');
  await page.getByRole('button', { name: 'Enroll the program' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const programId = /\/programs\/(prg_[0-9a-f]+)/.exec(page.url())?.[1] ?? '';
  const enrolled = (await api(danaToken, 'GET', `/programs/${programId}`)).json;
  expect(enrolled).toMatchObject({ primary_affiliate_id: va, secondary_affiliate_ids: [ne] });
  await context.close();

  // Nebraska's staff: the program among theirs, and its page theirs to open.
  const nedContext = await browser.newContext();
  const nedPage = await nedContext.newPage();
  await signIn(nedPage, NE_STAFF);
  await nedPage.getByLabel('Name', { exact: true }).fill(name);
  await nedPage.getByRole('link', { name }).click();
  await expect(nedPage.getByRole('heading', { level: 1, name })).toBeVisible();
  await nedContext.close();
});
