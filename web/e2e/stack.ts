/**
 * The running local stack as the tests see it: its addresses, and the steps done through the
 * API (and the user pool) that are not what a test is about: enrolling a program, inviting and
 * activating staff, opening a cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

export const STACK_FILE = resolve(import.meta.dirname, '../node_modules/.cache/nqms-e2e-stack.json');
export const SCREENSHOTS = resolve(import.meta.dirname, '../screenshots');
export const DEMO_PASSWORD = 'Mentor-Demo-2026';
export const VA_STAFF = 'staff@mentor-va.example';

type StackJson = {
  api_url: string;
  moto_url: string;
  user_pool_client_id: string;
  mail_dir: string;
  events_log: string;
  demo_data: { affiliates: Record<string, string>; programs: Record<string, string> };
};

/** A started stack as global-setup.ts writes it (STACK_FILE). */
export type RunningStack = { pid: number; stateDir: string; webUrl: string; stack: StackJson };

let other: RunningStack | null = null;

/** Point these helpers at another stack than the shared one (null: back to it); expiry.spec.ts runs its own. */
export function switchStack(running: RunningStack | null): void {
  other = running;
}

export function stack(): { webUrl: string; stateDir: string; info: StackJson } {
  const raw = other ?? (JSON.parse(readFileSync(STACK_FILE, 'utf8')) as RunningStack);
  return { webUrl: raw.webUrl, stateDir: raw.stateDir, info: raw.stack };
}

async function cognito(action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${stack().info.moto_url}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const data = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${action}: ${JSON.stringify(data)}`);
  return data;
}

/** An ID token for ``email``; an invited user's first sign-in sets ``password``. */
export async function idToken(email: string, password = DEMO_PASSWORD): Promise<string> {
  const clientId = stack().info.user_pool_client_id;
  const first = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  const result = first.AuthenticationResult as { IdToken: string } | undefined;
  if (result) return result.IdToken;
  throw new Error(`no tokens for ${email}: ${String(first.ChallengeName)}`);
}

export async function activate(email: string, password = DEMO_PASSWORD): Promise<void> {
  const clientId = stack().info.user_pool_client_id;
  const first = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: email, PASSWORD: temporaryPassword(email) },
  });
  await cognito('RespondToAuthChallenge', {
    ClientId: clientId,
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    Session: first.Session,
    ChallengeResponses: {
      USERNAME: (first.ChallengeParameters as Record<string, string>).USERNAME ?? email,
      NEW_PASSWORD: password,
    },
  });
}

/** The temporary password in the newest invitation sent to ``email`` (the mail directory). */
export function temporaryPassword(email: string): string {
  const dir = stack().info.mail_dir;
  const files = readdirSync(dir)
    .filter((f) => f.includes('-invitation-') && f.includes(email))
    .sort();
  const newest = files.at(-1);
  if (!newest) throw new Error(`no invitation for ${email}`);
  const text = readFileSync(join(dir, newest), 'utf8').replace(/=\r?\n/g, '');
  const found = /temporary password\s+(\S+)/.exec(text);
  if (!found?.[1]) throw new Error(`no temporary password in ${newest}`);
  return found[1];
}

export async function api(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${stack().info.api_url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export type Program = { programId: string; cycleId: string; staff: string[]; name: string };

/**
 * Virginia's demo staff enroll a program, invite ``people`` (activated with the demo password
 * unless ``activated`` is false) and open a cycle.
 */
export async function programWithCycle(people: string[], activated = true): Promise<Program> {
  const va = await idToken(VA_STAFF);
  const suffix = randomUUID().slice(0, 6);
  const name = `Bridges ${suffix}`;
  const created = await api(va, 'POST', '/programs', {
    name,
    contact: { name: 'Bea Ridge', email: `contact@bridges-${suffix}.example` },
    matching_since: '2018-05-01',
    primary_affiliate_id: stack().info.demo_data.affiliates.va,
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.json));
  const programId = String(created.json.program_id);
  const staff: string[] = [];
  for (const person of people) {
    const email = `${person}.${suffix}@bridges.example`;
    const invited = await api(va, 'POST', `/programs/${programId}/members`, { email, name: person });
    if (invited.status !== 201) throw new Error(JSON.stringify(invited.json));
    if (activated) await activate(email);
    staff.push(email);
  }
  const opened = await api(va, 'POST', `/programs/${programId}/cycles`, {});
  if (opened.status !== 201) throw new Error(JSON.stringify(opened.json));
  return { programId, cycleId: String(opened.json.cycle_id), staff, name };
}

export function events(): Record<string, unknown>[] {
  const text = readFileSync(stack().info.events_log, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The six-digit code in the newest password-reset email sent to ``email``. */
export function resetCode(email: string): string | null {
  const dir = stack().info.mail_dir;
  const newest = readdirSync(dir)
    .filter((f) => f.includes('-password-reset-') && f.includes(email))
    .sort()
    .at(-1);
  if (!newest) return null;
  // Six digits standing alone in the body: not the headers, and not digits inside an address
  // (dev.002248@bridges.example, when a random suffix happens to be all digits).
  const body = readFileSync(join(dir, newest), 'utf8').split(/\r?\n\r?\n/).slice(1).join('\n');
  return /(?<![\w@.])(\d{6})(?![\w@])/.exec(body)?.[1] ?? null;
}

/** Virginia's staff enroll a program matching since ``matchingSince`` and invite ``people``; no cycle. */
export async function programWithStaff(people: string[], matchingSince: string): Promise<Omit<Program, 'cycleId'>> {
  const va = await idToken(VA_STAFF);
  const suffix = randomUUID().slice(0, 6);
  const name = `Harbor ${suffix}`;
  const created = await api(va, 'POST', '/programs', {
    name,
    contact: { name: 'Hal Harbor', email: `contact@harbor-${suffix}.example` },
    matching_since: matchingSince,
    primary_affiliate_id: stack().info.demo_data.affiliates.va,
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.json));
  const programId = String(created.json.program_id);
  const staff: string[] = [];
  for (const person of people) {
    const email = `${person}.${suffix}@harbor.example`;
    const invited = await api(va, 'POST', `/programs/${programId}/members`, { email, name: person });
    if (invited.status !== 201) throw new Error(JSON.stringify(invited.json));
    await activate(email);
    staff.push(email);
  }
  return { programId, staff, name };
}

/** Every item answered "yes", rated ``rating``, through the API (what the journey test does by hand). */
export async function answerAll(token: string, cycleId: string, rating = 3): Promise<string[]> {
  const assessment = await api(token, 'GET', `/cycles/${cycleId}/answers`);
  const codes = (assessment.json.items as { code: string }[]).map((i) => i.code);
  for (let i = 0; i < codes.length; i += 4) {
    await Promise.all(
      codes.slice(i, i + 4).map(async (code) => {
        const saved = await api(token, 'PUT', `/cycles/${cycleId}/answers/${code}`, { in_practice: 'yes', rating, notes: '' });
        if (saved.status !== 200 && saved.status !== 201) throw new Error(`${code}: ${JSON.stringify(saved.json)}`);
      }),
    );
  }
  return codes;
}

const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function expectStatus(step: string, done: Promise<{ status: number; json: Record<string, unknown> }>, ok: number[]) {
  const { status, json } = await done;
  if (!ok.includes(status)) throw new Error(`${step}: ${status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * A cycle taken to its finalized plan through the API, which earns the program its Step 1 badge:
 * every item answered "yes" rated ``rating``, submitted, a meeting held yesterday, the review
 * completed, three goals, finalized. ``staffEmail`` is the affiliate's staff, ``person`` the program's.
 */
export async function finishCycle(staffEmail: string, person: string, cycleId: string, rating = 3): Promise<void> {
  const staff = await idToken(staffEmail);
  const own = await idToken(person);
  const codes = await answerAll(own, cycleId, rating);
  await expectStatus('submit', api(own, 'POST', `/cycles/${cycleId}/submit`), [200]);
  const yesterday = isoDay(-1);
  await expectStatus(
    'meeting',
    api(staff, 'POST', `/cycles/${cycleId}/review/meeting`, {
      time_zone: 'America/Chicago',
      start: `${yesterday}T10:00:00`,
      end: `${yesterday}T11:00:00`,
      mode: 'in_person',
      address: '12 Main St',
    }),
    [200, 201],
  );
  await expectStatus('complete the review', api(staff, 'POST', `/cycles/${cycleId}/review/complete`), [200]);
  const me = await expectStatus('me', api(own, 'GET', '/me'), [200]);
  for (const code of codes.slice(0, 3)) {
    await expectStatus(
      `goal ${code}`,
      api(own, 'POST', `/cycles/${cycleId}/plan/goals`, {
        item_code: code,
        title: `Improve ${code}`,
        action_steps: ['Draft the change'],
        owner_id: String(me.user_id),
        target_rating: Math.min(rating + 1, 5),
        start_date: isoDay(0),
        target_date: isoDay(270),
      }),
      [201],
    );
  }
  await expectStatus('finalize', api(staff, 'POST', `/cycles/${cycleId}/plan/finalize`), [200]);
}

/** A program of ``affiliate`` (its demo staff enroll it) with one activated staff member and a cycle open. */
export async function programOf(affiliate: 'va' | 'ne', name: string): Promise<Program & { affiliateStaff: string }> {
  const affiliateStaff = affiliate === 'va' ? VA_STAFF : 'staff@mentor-ne.example';
  const token = await idToken(affiliateStaff);
  const suffix = randomUUID().slice(0, 6);
  const created = await expectStatus(
    'enroll',
    api(token, 'POST', '/programs', {
      name,
      contact: { name: 'Cam Contact', email: `contact@${suffix}.example` },
      matching_since: '2016-03-01',
      primary_affiliate_id: stack().info.demo_data.affiliates[affiliate],
    }),
    [201],
  );
  const programId = String(created.program_id);
  const email = `coordinator.${suffix}@programs.example`;
  await expectStatus('invite', api(token, 'POST', `/programs/${programId}/members`, { email, name: 'Cory' }), [201]);
  await activate(email);
  const opened = await expectStatus('open', api(token, 'POST', `/programs/${programId}/cycles`, {}), [201]);
  return { programId, cycleId: String(opened.cycle_id), staff: [email], name, affiliateStaff };
}

/** A program of ``affiliate`` whose staff answer every item "yes" rated ``rating`` and submit, through the API. */
export async function submittedProgram(affiliate: 'va' | 'ne', name: string, rating: number): Promise<Program> {
  const program = await programOf(affiliate, name);
  const own = await idToken(program.staff[0] ?? '');
  await answerAll(own, program.cycleId, rating);
  await expectStatus('submit', api(own, 'POST', `/cycles/${program.cycleId}/submit`), [200]);
  return program;
}

/** Badges are issued from the plan's event: wait (through the API) until the program holds ``count``. */
export async function waitForBadges(token: string, programId: string, count = 1): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const held = await api(token, 'GET', `/programs/${programId}/badges`);
    if (held.status === 200 && (held.json.items as unknown[]).length >= count) return;
    if (Date.now() > deadline) throw new Error(`no badge for ${programId}: ${JSON.stringify(held.json)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
