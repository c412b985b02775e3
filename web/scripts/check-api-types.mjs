// Fails when src/types/api.gen.ts is not what openapi-typescript makes of ../openapi.json
// (like the backend's OpenAPI drift check). Fix: `npm run gen:api` and commit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fresh = join(mkdtempSync(join(tmpdir(), 'api-types-')), 'api.gen.ts');
execFileSync('npx', ['openapi-typescript', '../openapi.json', '-o', fresh], { stdio: 'pipe' });
const committed = readFileSync('src/types/api.gen.ts', 'utf8');
if (readFileSync(fresh, 'utf8') !== committed) {
  process.stderr.write(
    'web/src/types/api.gen.ts is stale: openapi.json changed. Run `npm run gen:api` in web/ and commit.\n',
  );
  process.exit(1);
}
process.stdout.write('web: generated API types match openapi.json\n');
