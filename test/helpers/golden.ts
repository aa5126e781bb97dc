/**
 * Golden files: output a test must reproduce exactly, committed under test/golden/.
 *
 * A mismatch writes <name>-changed.<ext> beside the golden (to diff and, when intended, copy over
 * it) and fails. A missing golden is written, for the developer to review and commit, except in CI
 * (CI=true), where it fails: a check with nothing to compare against must not pass.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Whether the tests run in CI: CI set to anything but '', 'false' or '0'. */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Where a mismatch goes: `-changed` before the golden's first extension (a.vega.json → a-changed.vega.json). */
export function changedPath(golden: string): string {
  const name = basename(golden);
  const dot = name.indexOf('.');
  return join(dirname(golden), dot < 0 ? `${name}-changed` : `${name.slice(0, dot)}-changed${name.slice(dot)}`);
}

/** Asserts that `actual` equals the golden file at `path` (see above for a mismatch or a missing golden). */
export function assertGolden(path: string, actual: string, env: NodeJS.ProcessEnv = process.env): void {
  const changed = changedPath(path);
  if (!existsSync(path)) {
    if (inCI(env)) assert.fail(`the golden ${path} is missing, and CI=true does not write one: run the test without CI to write it, review it and commit it.`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (readFileSync(path, 'utf8') === actual) {
    rmSync(changed, { force: true });
    return;
  }
  writeFileSync(changed, actual);
  assert.fail(`${path} differs from what the test produced; see ${changed}`);
}
