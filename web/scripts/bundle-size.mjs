// The JavaScript a first visit loads (index.html's module scripts and their static imports),
// gzipped, against the 150 KB budget. Run after `vite build`; exits 1 over budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 150 * 1024;
const dist = 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1]);
const preloads = [...html.matchAll(/<link rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1]);
const files = [...new Set([...entries, ...preloads])];
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  process.stdout.write(`  ${file}  ${(size / 1024).toFixed(1)} KB gzipped\n`);
}
const verdict = total <= BUDGET ? 'within' : 'OVER';
process.stdout.write(`web: initial JavaScript ${(total / 1024).toFixed(1)} KB gzipped (${verdict} the 150 KB budget)\n`);
process.exit(total <= BUDGET ? 0 : 1);
