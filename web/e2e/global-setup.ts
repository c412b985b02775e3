/** Starts `python -m infra.local run` (free ports, fresh state, the web client) for the tests. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { STACK_FILE } from './stack';

const ROOT = resolve(import.meta.dirname, '../..');

export default async function globalSetup(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'nqms-web-e2e-'));
  const python = process.env.PYTHON ?? join(ROOT, '.venv/bin/python');
  const log = openSync(join(stateDir, 'stack.log'), 'w');
  const child = spawn(
    python,
    ['-m', 'infra.local', 'run', '--port', '0', '--moto-port', '0', '--web-port', '0', '--fresh', '--state-dir', stateDir],
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
  const stack = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as Record<string, unknown>;
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  writeFileSync(STACK_FILE, JSON.stringify({ pid: child.pid, stateDir, webUrl: web.url, stack }));
  child.unref();
}
