import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kernel } from '@jupyterlab/services';
import { startTestJupyter } from '../helpers/jupyter.js';
import { nextIOPub, result, run } from './kernel-helpers.js';

async function complete(kernel: Kernel.IKernelConnection, code: string): Promise<string[]> {
  const reply = await kernel.requestComplete({ code, cursor_pos: Array.from(code).length });
  assert.equal(reply.content.status, 'ok');
  return (reply.content as { matches: string[] }).matches;
}

test('a new kernel answers at once: completion before any cell, cells before the type checker', { timeout: 180_000 }, async (t) => {
  const jupyter = await startTestJupyter();
  t.after(() => jupyter.stop());
  const kernel = await jupyter.startKernel();
  t.after(() => kernel.shutdown().catch(() => undefined));
  await kernel.info;

  await t.test('completion and inspection before anything has run', async () => {
    assert.ok((await complete(kernel, 'Math.ma')).includes('max'));
    assert.ok((await complete(kernel, 'JSON.str')).includes('stringify'));
    const inspected = await kernel.requestInspect({ code: 'Math.max', cursor_pos: 6, detail_level: 0 });
    assert.equal((inspected.content as { found: boolean }).found, true);
  });

  await t.test('a type error in a cell is a warning of that cell, after it ran; the next cell runs', async () => {
    const warned = nextIOPub(kernel, (m) => m.header.msg_type === 'stream' && /warning TS2322/.test((m.content as { text: string }).text));
    const first = await run(kernel, 'const wrong: number = "text"\nwrong');
    assert.equal(first.reply.status, 'ok');
    assert.equal(result(first), "'text'");
    const next = await run(kernel, 'wrong + "!"');
    assert.equal(result(next), "'text!'");
    const warning = await warned;
    assert.equal((warning.parent_header as { msg_id: string }).msg_id, first.msgId, 'sent as output of the cell it is about');
    assert.equal((warning.content as { name: string }).name, 'stderr');
    assert.match((warning.content as { text: string }).text, /^Cell \[1\], line 1:7 - warning TS2322: Type 'string' is not assignable to type 'number'\./);
  });

  await t.test('members of values that earlier cells made, typed or only known at run time', async () => {
    await run(kernel, 'const point = { alpha: 1, beta: 2 }\nconst parsed = JSON.parse(\'{"gamma": 3}\')');
    assert.deepEqual(await complete(kernel, 'point.al'), ['alpha']);
    // `parsed` is `any` to the type checker: its members come from the live object
    assert.deepEqual(await complete(kernel, 'parsed.ga'), ['gamma']);
  });
});
