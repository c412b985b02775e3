import { readFileSync, rmSync } from 'node:fs';
import { STACK_FILE } from './stack';

/** Stops the stack this run started (its process group, by id). */
export default function globalTeardown(): void {
  const { pid } = JSON.parse(readFileSync(STACK_FILE, 'utf8')) as { pid: number };
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(STACK_FILE, { force: true });
}
