import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeComplete, runtimeInspect } from '../../../../kernel/session/runtime-assist.js';

/** runtimeComplete at the `|` in `marked` (cursor in code points, as Jupyter sends it). */
function completeAt(scope: Record<string, unknown> | undefined, marked: string) {
  const at = Array.from(marked).indexOf('|');
  return { at, result: runtimeComplete(scope, marked.replace('|', ''), at) };
}

test('before any cell: globals of the process and their members', () => {
  const { at, result } = completeAt(undefined, 'Math.ma|');
  assert.deepEqual(result.matches, ['max']);
  assert.deepEqual([result.cursorStart, result.cursorEnd], [at - 2, at]);
  assert.deepEqual(result.types, [{ text: 'max', type: 'method', start: at - 2, end: at }]);
  assert.ok(completeAt(undefined, 'JSO|').result.matches.includes('JSON'));
  assert.ok(completeAt(undefined, 'Buf|').result.matches.includes('Buffer'));
  assert.ok(completeAt(undefined, 'cons|').result.matches.includes('const'), 'keywords');
  assert.ok(completeAt(undefined, 'JSON . str|').result.matches.includes('stringify'), 'spaces around the dot');
});

test('members of live values on the scope, inherited ones included, with kinds', () => {
  class Point {
    constructor(readonly x: number) {}
    norm(): number {
      return Math.abs(this.x);
    }
  }
  const scope = { point: new Point(3), nested: { inner: { alpha: 1, beta: 'b' } }, Point };
  assert.deepEqual(completeAt(scope, 'point.|').result.matches.filter((m) => !Object.getOwnPropertyNames(Object.prototype).includes(m)), ['norm', 'x']);
  assert.deepEqual(completeAt(scope, 'nested.inner.|').result.matches.slice(0, 2), ['alpha', 'beta']);
  assert.deepEqual(completeAt(scope, 'nested?.inner?.al|').result.matches, ['alpha']);
  assert.deepEqual(completeAt(scope, 'nested.inner.beta.toUpp|').result.matches, ['toUpperCase'], 'a string value completes as a String');
  const kinds = new Map(completeAt(scope, 'P|').result.types?.map((t) => [t.text, t.type]));
  assert.equal(kinds.get('Point'), 'class');
  assert.equal(kinds.get('Promise'), 'function');
  assert.ok(completeAt(scope, 'poi|').result.matches.includes('point'), 'scope names at the top level');
  assert.ok(completeAt(scope, 'const fresh = 1; fre|').result.matches.includes('fresh'), "the cell's own declarations");
});

test('case-insensitive when nothing matches exactly; nothing for what cannot be read', () => {
  assert.ok(completeAt(undefined, 'math.MA|').result.matches.length === 0, 'an unknown root');
  assert.ok(completeAt(undefined, 'Math.MA|').result.matches.includes('max'));
  assert.deepEqual(completeAt(undefined, 'foo().ba|').result.matches, [], 'a call result is not evaluated');
  assert.deepEqual(completeAt(undefined, 'const n = 1.|').result.matches, [], 'a number literal is not a path');
});

test('reading never runs cell code: user getters and proxies stop the lookup', () => {
  let ran = 0;
  const scope = {
    lazy: {
      get value() {
        ran++;
        return { secret: 1 };
      },
    },
    trap: new Proxy({}, { ownKeys: () => (ran++, []), get: () => (ran++, 1) }),
    sized: new Map([[1, 2]]),
  };
  assert.deepEqual(completeAt(scope, 'lazy.value.|').result.matches, []);
  assert.ok(completeAt(scope, 'lazy.|').result.matches.includes('value'), 'the getter is listed, not called');
  assert.deepEqual(completeAt(scope, 'trap.|').result.matches, []);
  assert.equal(ran, 0);
  assert.ok(completeAt(scope, 'sized.size.toFix|').result.matches.includes('toFixed'), "the engine's own getters are read");
});

test('inspect shows what a name holds now', () => {
  const scope = { config: { retries: 3 } };
  const r = runtimeInspect(scope, 'config.retries + 1', 8);
  assert.equal(r.found, true);
  assert.match(String(r.data['text/plain']), /^config\.retries: number\n\n3$/);
  assert.match(String(runtimeInspect(undefined, 'Math.max(1, 2)', 6).data['text/plain']), /^function max\(\) \{ \[native code\] \}/);
  assert.deepEqual(runtimeInspect(scope, 'missing', 3), { found: false, data: {} });
  assert.deepEqual(runtimeInspect(scope, '   ', 1), { found: false, data: {} });
});
