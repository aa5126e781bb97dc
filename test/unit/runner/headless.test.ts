import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { headlessEnv, renderEnvSetup } from '../../../src/runner/headless.js';
import { effectiveUntil } from '../../../src/engine/run/bounded.js';
import { setRunDefaults } from '../../../src/engine/run/defaults.js';
import { notebook, plain } from '../kernel/session/harness.js';

const saved = { ...process.env };
after(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  setRunDefaults({});
});

test("on a server the runner did not start, the setup cell gives a TypeScript kernel's library the runner bound", async () => {
  const until = { durationMs: 5000 } as const;
  const setup = renderEnvSetup(headlessEnv(until), 'typescript', until);
  assert.ok(setup !== undefined);
  const nb = await notebook();
  try {
    assert.equal(plain((await nb.run(setup)).outcome), undefined);
    assert.equal(process.env.WINDOWPANE_HEADLESS, '1');
    assert.deepEqual(effectiveUntil(undefined), { kind: 'duration', ms: 5000 });
    assert.equal(plain((await nb.run('JSON.stringify(wp.runDefaults())')).outcome), `'{"until":{"durationMs":5000}}'`);
  } finally {
    await nb.session.dispose();
  }
});
