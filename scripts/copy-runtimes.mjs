// Copies the runtime clients that are not TypeScript (Python, custom-runtime shims) next to the
// compiled JavaScript, so dist/ is complete on its own.
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const dir of ['python']) {
  const from = join(root, 'src', 'runtimes', dir);
  if (existsSync(from)) cpSync(from, join(root, 'dist', 'runtimes', dir), { recursive: true });
}
