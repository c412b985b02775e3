/**
 * Issue 23, affiliate staff: enroll a program (the API's refusals beside the fields), invite staff
 * to a program and to the affiliate, pending invitations, the invited person's first sign-in and
 * their answer to the invitations, removing a member.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { checkPage, signIn } from './pages';
import { VA_STAFF, api, idToken, programWithStaff, temporaryPassword } from './stack';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('affiliate staff enroll a program, invite staff; the invited person answers the invitations', async ({ browser }) => {
  test.setTimeout(180_000);
  const suffix = randomUUID().slice(0, 6);
  const name = `Lighthouse ${suffix}`;
  const person = `lena.${suffix}@lighthouse.example`;
  const other = await programWithStaff([], '2018-05-01'); // a second program of Virginia's, no staff yet
  const veraContext = await browser.newContext();
  const vera = await veraContext.newPage();

  // Enroll: the API's refusals show beside the field they are about.
  await signIn(vera, VA_STAFF);
  await vera.getByRole('link', { name: 'Enroll a program' }).click();
  await expect(vera.getByRole('heading', { level: 1, name: 'Enroll a program' })).toBeVisible();
  const form = vera.getByRole('form', { name: 'Enroll a program' });
  await form.getByLabel('Program name').fill(name);
  await form.getByLabel('Matching mentors and mentees since').fill(day(30));
  await form.getByLabel('Name', { exact: true }).fill('Lena Light');
  await form.getByLabel('Email').fill('lena-at-lighthouse');
  await form.getByRole('button', { name: 'Enroll the program' }).click();
  const email = form.getByLabel('Email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/This is not in the expected form\. Like name@program\.org\./);
  await checkPage(vera, 'enroll-errors');
  await email.fill(`contact@lighthouse-${suffix}.example`);
  await form.getByRole('button', { name: 'Enroll the program' }).click();
  const since = form.getByLabel('Matching mentors and mentees since');
  await expect(since).toHaveAccessibleDescription(/matching_since is in the future/);
  await expect(email).not.toHaveAttribute('aria-invalid');
  await since.fill('2019-09-01');
  await form.getByRole('button', { name: 'Enroll the program' }).click();
  await expect(vera.getByRole('heading', { level: 1, name })).toBeVisible();
  const programId = /\/programs\/(prg_[0-9a-f]+)/.exec(vera.url())?.[1] ?? '';
  expect(programId).not.toBe('');

  // Invite someone new to the program: a member at once, emailed a temporary password.
  await vera.getByRole('link', { name: "The program's staff" }).click();
  await expect(vera.getByRole('heading', { level: 1, name: `Staff of ${name}` })).toBeVisible();
  const invite = vera.getByRole('form', { name: 'Invite a colleague' });
  await invite.getByLabel('Name').fill('Lena Light');
  await invite.getByLabel('Email').fill(person);
  await invite.getByRole('button', { name: `Invite to ${name}` }).click();
  await expect(vera.getByRole('heading', { name: 'Invited', exact: true })).toBeVisible();
  const members = vera.getByRole('region', { name: 'Members' });
  await expect(members.getByRole('row', { name: /Lena Light/ })).toBeVisible();

  // The same person, who has an account now, invited to a second program and to the affiliate: pending.
  await vera.goto(`${new URL(vera.url()).origin}/programs/${other.programId}/staff`);
  await invite.getByLabel('Name').fill('Lena Light');
  await invite.getByLabel('Email').fill(person);
  await invite.getByRole('button', { name: `Invite to ${other.name}` }).click();
  await expect(vera.getByRole('heading', { name: 'Invitation pending' })).toBeVisible();
  await expect(vera.getByText(`Lena Light (${person}) already has an account: they become a member once they accept`)).toBeVisible();
  await expect(members.getByRole('row', { name: /Lena Light/ })).toHaveCount(0);
  await vera.goto(new URL(vera.url()).origin);
  await vera.getByRole('link', { name: 'Staff and invitations' }).click();
  await expect(vera.getByRole('heading', { level: 1, name: 'Staff of MENTOR Virginia' })).toBeVisible();
  await invite.getByLabel('Name').fill('Lena Light');
  await invite.getByLabel('Email').fill(person);
  await invite.getByRole('button', { name: 'Invite to MENTOR Virginia' }).click();
  await expect(vera.getByRole('heading', { name: 'Invitation pending' })).toBeVisible();
  // Not a member until she accepts: listed as invited, not among the members.
  await expect(members.getByRole('row', { name: /Lena Light/ })).toHaveCount(0);
  const waiting = vera.getByRole('list', { name: 'Pending invitations' });
  await expect(waiting.getByRole('listitem').filter({ hasText: `Lena Light (${person})` })).toContainText('not accepted yet');
  await checkPage(vera, 'affiliate-staff');
  // An invitation withdrawn: Omar (an account: staff of a third program) is invited to the
  // affiliate, then the invitation is withdrawn before he answers it.
  const omar = (await programWithStaff(['omar'], '2019-01-01')).staff[0] ?? '';
  await invite.getByLabel('Name').fill('Omar Ode');
  await invite.getByLabel('Email').fill(omar);
  await invite.getByRole('button', { name: 'Invite to MENTOR Virginia' }).click();
  await expect(waiting.getByRole('listitem').filter({ hasText: 'Omar Ode' })).toBeVisible();
  await vera.getByRole('button', { name: 'Withdraw the invitation of Omar Ode' }).click();
  await expect(waiting.getByRole('listitem').filter({ hasText: 'Omar Ode' })).toHaveCount(0);
  await expect(waiting.getByRole('listitem').filter({ hasText: 'Lena Light' })).toBeVisible();

  // Lena's first sign-in, with the temporary password from the email; two invitations wait.
  const lenaContext = await browser.newContext();
  const lena = await lenaContext.newPage();
  await signIn(lena, person, temporaryPassword(person));
  await lena.getByLabel('New password').fill('Lena-Chosen-Pass-2026');
  await lena.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(lena.getByRole('heading', { level: 1, name })).toBeVisible();
  await lena.getByRole('link', { name: 'Invitations (2)' }).click();
  await expect(lena.getByRole('heading', { level: 2, name: other.name })).toBeVisible();
  await expect(lena.getByRole('heading', { level: 2, name: 'MENTOR Virginia' })).toBeVisible();
  await checkPage(lena, 'invitations');
  await lena.getByRole('button', { name: `Accept: join ${other.name}` }).click();
  await expect(lena.getByRole('heading', { name: 'Invitation accepted' })).toBeVisible();
  await lena.getByRole('button', { name: 'Decline' }).click();
  await expect(lena.getByRole('heading', { name: 'Invitation declined' })).toBeVisible();
  await expect(lena.getByText('No invitation waits for you.')).toBeVisible();
  await expect(lena.getByRole('link', { name: /^Invitations/ })).toHaveCount(0);
  await lena.goto(`${new URL(lena.url()).origin}/programs/${other.programId}`);
  await expect(lena.getByRole('heading', { level: 1, name: other.name })).toBeVisible();
  const token = await idToken(person, 'Lena-Chosen-Pass-2026');
  const me = await api(token, 'GET', '/me');
  const scopes = (me.json.memberships as { scope: string; scope_id: string }[]).map((m) => `${m.scope}:${m.scope_id}`).sort();
  expect(scopes).toEqual([`program:${other.programId}`, `program:${programId}`].sort());

  // Vera sees her a member of the second program now, and removes her from the first.
  await vera.goto(`${new URL(vera.url()).origin}/programs/${other.programId}/staff`);
  await expect(members.getByRole('row', { name: /Lena Light/ })).toBeVisible();
  await checkPage(vera, 'program-staff');
  await vera.goto(`${new URL(vera.url()).origin}/programs/${programId}/staff`);
  await vera.getByRole('button', { name: 'Remove Lena Light' }).click();
  await expect(vera.getByText('Lena Light loses access at once, signed out everywhere.')).toBeVisible();
  await vera.getByRole('button', { name: 'Remove', exact: true }).click();
  // She was the program's only staff member: the API asks to confirm, and the page says why.
  await expect(vera.getByText(/last staff member/)).toBeVisible();
  await vera.getByRole('button', { name: 'Remove anyway' }).click();
  await expect(members.getByRole('row', { name: /Lena Light/ })).toHaveCount(0);
  expect((await api(token, 'GET', `/programs/${programId}`)).status).toBe(404);

  // Lena leaves the second program herself (its last staff member too): back home, with no program.
  await lena.goto(`${new URL(lena.url()).origin}/programs/${other.programId}/staff`);
  await lena.getByRole('button', { name: 'Leave' }).click();
  await expect(lena.getByText('You lose access at once.')).toBeVisible();
  await lena.getByRole('button', { name: 'Leave' }).click();
  await lena.getByRole('button', { name: 'Remove anyway' }).click();
  await expect(lena.getByText('You do not belong to a program yet.')).toBeVisible();
  expect((await api(token, 'GET', `/programs/${other.programId}`)).status).toBe(404);
  await veraContext.close();
  await lenaContext.close();
});
