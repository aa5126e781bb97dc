import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecuteOutcome } from '../../../../kernel/session/types.js';
import { messages } from '../../../../src/messages.js';
import { RecordingContext } from './fake-context.js';
import { notebook, plain } from './harness.js';

const warn = await notebook({ typeErrors: 'warn' });
const fatal = await notebook({ typeErrors: 'error' });
after(() => Promise.all([warn.session.dispose(), fatal.session.dispose()]));
// A warm checker's warnings come before the cell's reply; the cold case is tested on its own below.
await warn.session.typeCheckerReady();

function failure(outcome: ExecuteOutcome): Extract<ExecuteOutcome, { status: 'error' }> {
  assert.equal(outcome.status, 'error');
  return outcome;
}

test('a syntax error reports its line and column with a caret excerpt', async () => {
  const { outcome } = await warn.run('const ok = 1\nlet x = 1 2');
  const e = failure(outcome);
  assert.equal(e.ename, 'SyntaxError');
  assert.equal(e.evalue, "',' expected. (line 2:11)");
  assert.deepEqual(e.traceback, ["SyntaxError: ',' expected. (Cell [1], line 2:11)", '  let x = 1 2', '            ^']);
  assert.equal(plain((await warn.run('typeof ok')).outcome), "'undefined'", 'a cell that does not parse runs nothing');
});

test('syntax error columns count code points (an emoji before the error)', async () => {
  const e = failure((await warn.run('const s = "😀"; let y = )')).outcome);
  assert.equal(e.evalue, 'Expression expected. (line 1:24)');
  assert.equal(e.traceback[2], `  ${' '.repeat(23)}^`);
});

test('a runtime error: ename, evalue and frames at the cell line and column, kernel frames trimmed', async () => {
  await warn.run('function fail(n: number) {\n  if (n > 1) throw new RangeError(`too big: ${n}`)\n  return n\n}');
  const { outcome } = await warn.run('const fine = 1\nfail(fine + 1)');
  const e = failure(outcome);
  assert.equal(e.ename, 'RangeError');
  assert.equal(e.evalue, 'too big: 2');
  assert.deepEqual(e.traceback, [
    'RangeError: too big: 2',
    '    at fail (Cell [4], line 2:20)',
    '    at Cell [5], line 2:1',
    '',
    'Cell [4], line 2:',
    '    if (n > 1) throw new RangeError(`too big: ${n}`)',
    '                     ^',
  ]);
  assert.equal(plain((await warn.run('fine')).outcome), '1', 'declarations before the error ran and persist');
});

test('runtime error columns after a non-BMP character', async () => {
  const e = failure((await warn.run('const face = "🙂"; null!.boom')).outcome);
  assert.equal(e.ename, 'TypeError');
  assert.match(e.traceback[1]!, /at Cell \[\d+\], line 1:(2[0-9])/);
  const column = Number(/line 1:(\d+)/.exec(e.traceback[1]!)![1]);
  assert.equal(e.traceback.at(-1), `  ${' '.repeat(column - 1)}^`);
  const code = Array.from('const face = "🙂"; null!.boom');
  assert.equal(column, code.indexOf('b') + 1, 'the column counts the emoji as one character and points at the failing access');
});

test('a thrown non-error value', async () => {
  const e = failure((await warn.run('throw { code: 7 }')).outcome);
  assert.equal(e.ename, 'Uncaught');
  assert.equal(e.evalue, '{ code: 7 }');
});

test("type errors are shown on stderr with positions and the cell still runs ('warn')", async () => {
  const { outcome, ctx } = await warn.run('const n: number = "text"\nn');
  assert.equal(plain(outcome), "'text'");
  assert.equal(ctx.text('stderr'), `Cell [${ctx.executionCount}], line 1:7 - warning TS2322: Type 'string' is not assignable to type 'number'.\n  const n: number = "text"\n        ^\n`);
});

test('type checking knows the declarations of earlier cells', async () => {
  await warn.run('const label: string = "a"\nfunction twice(x: number): number { return 2 * x }');
  const { ctx } = await warn.run('twice(label)');
  assert.match(ctx.text('stderr'), /line 1:7 - warning TS2345: Argument of type 'string' is not assignable to parameter of type 'number'/);
  const clean = await warn.run('const label = 3\ntwice(label)');
  assert.equal(clean.ctx.text('stderr'), '', 'a redeclaration replaces the earlier type');
  assert.equal(plain(clean.outcome), '6');
});

test("type errors are fatal in 'error' mode: the cell does not run", async () => {
  const e = failure((await fatal.run('let ran = true\nconst bad: string = 1')).outcome);
  assert.equal(e.ename, 'TSError');
  assert.equal(e.traceback[0], messages.sessionTypeErrors(1));
  assert.match(e.traceback[1]!, /TSError: Type 'number' is not assignable to type 'string'. \(Cell \[1\], line 2:7\)/);
  const later = await fatal.session.evaluate({ ran: 'typeof ran' });
  assert.deepEqual(later.ran, { status: 'ok', result: { 'text/plain': "'undefined'" } });
});

test('the preloaded windowpane API is typed: values, classes and types through `wp`', async () => {
  const ok = await warn.run('const settings: wp.KafkaSettings | undefined = undefined\nconst err: WindowpaneError = new WindowpaneError("no-window", "message")\nerr.code');
  assert.equal(ok.ctx.text('stderr'), '');
  assert.equal(plain(ok.outcome), "'no-window'");
  const typo = await warn.run('new WindowpaneError("no-windw", "message").code');
  assert.match(typo.ctx.text('stderr'), /TS2345: Argument of type '"no-windw"' is not assignable to parameter of type '"config-file-unreadable" \| /);
  const bad = await warn.run('const wrong: wp.KafkaSettings = 3');
  assert.match(bad.ctx.text('stderr'), /TS2322: Type 'number' is not assignable to type 'KafkaSettings'/);
});

test("the first cell does not wait for the checker's warm-up: its warnings follow it", async () => {
  const cold = await notebook({ typeErrors: 'warn' });
  const ctx = new RecordingContext(1);
  const warned = new Promise<string>((resolve) => {
    ctx.stream = (_name, text) => resolve(text);
  });
  const outcome = await cold.session.execute('const first: number = "x"\nfirst', ctx);
  assert.equal(plain(outcome), "'x'");
  assert.match(await warned, /^Cell \[1\], line 1:7 - warning TS2322/);
  await cold.session.dispose();
});
