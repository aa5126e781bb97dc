import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const script = fileURLToPath(new URL('../../../scripts/check-cycles.mjs', import.meta.url));

function check(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wp-cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a cycle through a type-only import fails the check and is listed', () => {
  const r = check({
    'plan/types.ts': "import type { Table } from '../join/lookup.js';\nexport type Node = { table: Table };\n",
    'join/lookup.ts': "import type { Node } from '../plan/types.js';\nexport type Table = { node?: Node };\n",
    'join/other.ts': "import type { Node } from '../plan/types.js';\nexport type X = Node;\n",
  });
  assert.equal(r.code, 1);
  assert.match(r.out, /import cycle among 2 module\(s\)/);
  assert.match(r.out, /join\/lookup\.ts → \S*plan\/types\.ts → \S*join\/lookup\.ts/);
  assert.doesNotMatch(r.out, /other\.ts/);
});

test('re-exports count as edges; imports leaving the folder do not', () => {
  const r = check({
    'a.ts': "export * from './b.js';\nexport const a = 1;\n",
    'b.ts': "export { a } from './a.js';\n",
  });
  assert.equal(r.code, 1);
  assert.match(r.out, /a\.ts → \S*b\.ts → \S*a\.ts/);
  const ok = check({ 'a.ts': "import { b } from './b.js';\nimport { x } from 'node:path';\nexport const a = b + String(x);\n", 'b.ts': 'export const b = 1;\n' });
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /no import cycles .*\(2 modules\)/);
});
