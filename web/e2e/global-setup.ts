/** Starts `python -m infra.local run` (free ports, fresh state, the web client) for the tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { STACK_FILE, type RunningStack } from './stack';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A local stack on free ports keeping its state in ``stateDir`` (``options``: `--fresh`, or
 * `--as-of 2029-12-10` to run it as of another day); resolves once it serves the web client.
 */
export async function startStack(stateDir: string, options: string[]): Promise<{ child: ChildProcess; running: RunningStack }> {
  const python = process.env.PYTHON ?? join(ROOT, '.venv/bin/python');
  // A restart in the same directory: wait for this run's addresses, not the last run's.
  rmSync(join(stateDir, 'web.json'), { force: true });
  const log = openSync(join(stateDir, 'stack.log'), 'a');
  const child = spawn(
    python,
    ['-m', 'infra.local', 'run', '--port', '0', '--moto-port', '0', '--web-port', '0', '--state-dir', stateDir, ...options],
    { cwd: ROOT, stdio: ['ignore', log, log], detached: true },
  );
  const deadline = Date.now() + 120_000;
  while (!existsSync(join(stateDir, 'web.json'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the local stack did not start:\n${readFileSync(join(stateDir, 'stack.log'), 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const web = JSON.parse(readFileSync(join(stateDir, 'web.json'), 'utf8')) as { url: string };
  const stack = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as RunningStack['stack'];
  return { child, running: { pid: child.pid ?? 0, stateDir, webUrl: web.url, stack } };
}

/** Stop a stack started by ``startStack`` (its process group, by id); resolves once it saved its state and left. */
export async function stopStack(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

export default async function globalSetup(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'nqms-web-e2e-'));
  const { child, running } = await startStack(stateDir, ['--fresh']);
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  writeFileSync(STACK_FILE, JSON.stringify(running));
  child.unref();
}
