import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertGolden, changedPath, inCI } from '../../helpers/golden.js';

function folder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'wp-golden-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('CI is on for CI=true or 1, off when unset, empty, false or 0', () => {
  assert.equal(inCI({ CI: 'true' }), true);
  assert.equal(inCI({ CI: '1' }), true);
  for (const off of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }]) assert.equal(inCI(off), false);
});

test('a missing golden is written outside CI', (t) => {
  const path = join(folder(t), 'sub', 'chart.vega.json');
  assertGolden(path, 'spec\n', {});
  assert.equal(readFileSync(path, 'utf8'), 'spec\n');
});

test('a missing golden fails under CI=true, and nothing is written', (t) => {
  const path = join(folder(t), 'chart.vega.json');
  assert.throws(() => assertGolden(path, 'spec\n', { CI: 'true' }), (e: unknown) => e instanceof assert.AssertionError && /golden .*chart\.vega\.json is missing/.test(e.message));
  assert.equal(existsSync(path), false);
});

test('a mismatch fails and writes <name>-changed.<ext> beside the golden; a match removes it', (t) => {
  const dir = folder(t);
  const path = join(dir, 'chart.vega.json');
  writeFileSync(path, 'old\n');
  assert.equal(changedPath(path), join(dir, 'chart-changed.vega.json'));
  assert.throws(() => assertGolden(path, 'new\n', { CI: 'true' }), /differs/);
  assert.equal(readFileSync(join(dir, 'chart-changed.vega.json'), 'utf8'), 'new\n');
  assertGolden(path, 'old\n', { CI: 'true' });
  assert.equal(existsSync(join(dir, 'chart-changed.vega.json')), false);
  assert.equal(readFileSync(path, 'utf8'), 'old\n');
});
