import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { notebook } from './harness.js';

const nb = await notebook({ typeErrors: 'warn' });
after(() => nb.session.dispose());
before(async () => {
  // these answers are the type checker's: wait for its warm-up (runtime-assist.test.ts has the others)
  await nb.session.typeCheckerReady();
  await nb.run('/** The numbers we count with. */\nconst numbers: number[] = [1, 2, 3]\n/**\n * Adds two numbers.\n * @param a the first\n */\nfunction add(a: number, b: number): number { return a + b }');
});

/** complete() at the `|` in `code` (the cursor given in code points, as Jupyter does). */
async function completeAt(marked: string) {
  const at = Array.from(marked).indexOf('|');
  const code = marked.replace('|', '');
  return { code, result: await nb.session.complete(code, at), at };
}

test('members of a value declared in an earlier cell, replacing the partial word', async () => {
  const { result, at } = await completeAt('numbers.fi|');
  assert.ok(result.matches.includes('filter') && result.matches.includes('find'), result.matches.join());
  assert.ok(result.matches.every((m) => m.startsWith('fi')), result.matches.join());
  assert.deepEqual([result.cursorStart, result.cursorEnd], [at - 2, at]);
  const all = (await completeAt('numbers.|')).result;
  assert.ok(all.matches.includes('map') && all.matches.includes('length'));
  assert.equal(all.cursorStart, all.cursorEnd);
});

test('ranges are in code points: an emoji earlier in the cell', async () => {
  const { result, code } = await completeAt('const face = "😀🙂"; numbers.ma|');
  assert.deepEqual(result.matches, ['map']);
  assert.equal(result.cursorStart, Array.from(code).length - 2);
  assert.equal(result.cursorEnd, Array.from(code).length);
  assert.equal(result.types?.[0]?.type, 'method');
});

test('exports of a module in an import statement', async () => {
  const { result, at } = await completeAt('😀; import { readFileS| } from "node:fs"');
  assert.ok(result.matches.includes('readFileSync'), result.matches.join());
  assert.deepEqual([result.cursorStart, result.cursorEnd], [at - 'readFileS'.length, at]);
});

test('globals: the language, Node, earlier cells and the windowpane API', async () => {
  assert.ok((await completeAt('ad|')).result.matches.includes('add'));
  assert.ok((await completeAt('JSO|')).result.matches.includes('JSON'));
  assert.ok((await completeAt('Buf|')).result.matches.includes('Buffer'));
  assert.ok((await completeAt('loadKafka|')).result.matches.includes('loadKafkaSettings'));
  assert.ok((await completeAt('displ|')).result.matches.includes('display'));
  assert.ok((await completeAt('wp.loadK|')).result.matches.includes('loadKafkaSettings'));
  assert.ok((await completeAt('display.vega|')).result.matches.includes('vegaLite'));
});

test('inspect: type and documentation as text and markdown', async () => {
  const r = await nb.session.inspect('add(1, 2)', 2, 0);
  assert.equal(r.found, true);
  assert.equal(r.data['text/plain'], 'function add(a: number, b: number): number\n\nAdds two numbers.\n\n@param a the first');
  assert.equal(r.data['text/markdown'], '```typescript\nfunction add(a: number, b: number): number\n```\n\nAdds two numbers.\n\n*@param* — a the first');
  const at = await nb.session.inspect('numbers', 7, 1);
  assert.match(String(at.data['text/plain']), /^const numbers: number\[\]\n\nThe numbers we count with\./);
  assert.deepEqual(await nb.session.inspect('   ', 1, 0), { found: false, data: {} });
});

test('isComplete: open brackets and templates are incomplete, hopeless code invalid', () => {
  assert.deepEqual(nb.session.isComplete('const x = 1'), { status: 'complete' });
  assert.deepEqual(nb.session.isComplete('function f() {'), { status: 'incomplete', indent: '  ' });
  assert.deepEqual(nb.session.isComplete('foo([1, {'), { status: 'incomplete', indent: '      ' });
  assert.deepEqual(nb.session.isComplete('const s = `a ${'), { status: 'incomplete', indent: '  ' });
  assert.deepEqual(nb.session.isComplete('const s = `line one'), { status: 'incomplete', indent: '  ' });
  assert.deepEqual(nb.session.isComplete('const t = `${1}` + /[}]/.source'), { status: 'complete' });
  assert.deepEqual(nb.session.isComplete('1 +'), { status: 'incomplete', indent: '' });
  assert.deepEqual(nb.session.isComplete('let = = 3'), { status: 'invalid' });
  assert.deepEqual(nb.session.isComplete('f(]'), { status: 'invalid' });
  assert.deepEqual(nb.session.isComplete('"open string\nnext'), { status: 'invalid' });
  assert.deepEqual(nb.session.isComplete(''), { status: 'complete' });
});

test('module specifiers in an import complete from the quote', async () => {
  const { result, at } = await completeAt('import { x } from "node:f|"');
  assert.ok(result.matches.includes('node:fs'), result.matches.join());
  assert.equal(result.cursorStart, at - 'node:f'.length);
});
