import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { notebook, plain } from './harness.js';

const nb = await notebook();
after(() => nb.session.dispose());
const value = async (code: string) => plain((await nb.run(code)).outcome);

test('the last expression is the result; a declaration or undefined gives none', async () => {
  assert.equal(await value('1 + 1'), '2');
  assert.equal(await value('const unused = 1'), undefined);
  assert.equal(await value('undefined'), undefined);
  assert.equal(await value("'text'"), "'text'");
});

test('let, const and var persist across cells and can be redeclared', async () => {
  await value('let a = 1; const b = 2; var c = 3');
  assert.equal(await value('a + b + c'), '6');
  await value('const a = 10; let b = 20; var c = 30');
  assert.equal(await value('a + b + c'), '60');
  // re-running a cell that declares `const` works
  await value('const again = 1');
  await value('const again = 2');
  assert.equal(await value('again'), '2');
  await value('var c;');
  assert.equal(await value('c'), '30', '`var c;` keeps the value, as in a script');
  await value('a = 11');
  assert.equal(await value('a'), '11');
});

test('destructuring declarations persist every bound name', async () => {
  await value('const { p, q: [r, s = 5], ...rest } = { p: 1, q: [2], t: 3 }');
  assert.equal(await value('[p, r, s, rest]'), '[ 1, 2, 5, { t: 3 } ]');
});

test('functions, classes, enums and namespaces persist and can be redeclared', async () => {
  await value('function double(x: number) { return 2 * x }\nclass Point { constructor(public x: number, public y: number) {} norm() { return this.x + this.y } }\nenum Color { Red, Green = 5 }\nnamespace Geo { export const origin = 0 }');
  assert.equal(await value('[double(2), new Point(1, 2).norm(), Color.Green, Color[5], Geo.origin]'), "[ 4, 3, 5, 'Green', 0 ]");
  await value('function double(x: number) { return 3 * x }\nclass Point { norm() { return -1 } }\nenum Color { Blue = 7 }\nnamespace Geo { export const origin = 9 }');
  assert.equal(await value('[double(2), new Point().norm(), Color.Blue, Geo.origin]'), '[ 6, -1, 7, 9 ]');
});

test('functions are hoisted within a cell and keep their names', async () => {
  assert.equal(await value('const r = early(); function early() { return early.name }\nr'), "'early'");
  assert.equal(await value('const arrow = () => 1; const Klass = class {}; [arrow.name, Klass.name]'), "[ 'arrow', 'Klass' ]");
});

test('a function sees later changes of the variables it closes over', async () => {
  await value('let counter = 0; function bump() { return ++counter }');
  await value('bump(); bump()');
  assert.equal(await value('counter'), '2');
  await value('let counter = 100');
  assert.equal(await value('bump()'), '101');
});

test('local variables shadow persistent ones without touching them', async () => {
  await value('let shadowed = "outer"');
  assert.equal(await value('function f(shadowed: string) { return shadowed } { const shadowed = "block" }\nf("param") + shadowed'), "'paramouter'");
  assert.equal(await value('const o = { shadowed }; o.shadowed'), "'outer'");
});

test('types and interfaces are erased and can be redeclared', async () => {
  assert.equal(await value('type Id = string; interface Row { id: Id }\nconst row: Row = { id: "x" }; row.id'), "'x'");
  assert.equal(await value('type Id = number; interface Row { id: Id; n: number }\nconst row2: Row = { id: 1, n: 2 }; row2.n'), '2');
});

test('top-level await, in declarations and in the result', async () => {
  assert.equal(await value('const later = await new Promise<number>((r) => setTimeout(() => r(42), 5)); later'), '42');
  assert.equal(await value('await Promise.resolve("done")'), "'done'");
  assert.equal(await value('for await (const x of (async function* () { yield 1; yield 2 })()) { later += x }\nlater'), '45');
});

test('a promise as the last expression is shown, not awaited', async () => {
  assert.match((await value('Promise.resolve(1)'))!, /^Promise/);
});

test('cells run in the main context: instanceof, Buffer and globals behave as in a module', async () => {
  assert.equal(await value('[Buffer.from("a") instanceof Uint8Array, [] instanceof Array, new Error("x") instanceof Error, typeof structuredClone, typeof process.version]'), "[ true, true, true, 'function', 'string' ]");
  assert.equal(await value('class Animal {}\nclass Dog extends Animal {}\nnew Dog() instanceof Animal'), 'true');
  assert.equal(await value('new Dog() instanceof Dog'), 'true');
});

test('the windowpane library is preloaded as globals and as `wp`', async () => {
  assert.equal(await value('[typeof loadKafkaSettings, wp.loadKafkaSettings === loadKafkaSettings, typeof WindowpaneError, typeof display]'), "[ 'function', true, 'function', 'function' ]");
});

test('evaluate runs user_expressions in the session scope', async () => {
  await value('const answer = 41');
  const out = await nb.session.evaluate({ a: 'answer + 1', bad: 'nope(', thrown: 'missing.x' });
  assert.deepEqual(out.a, { status: 'ok', result: { 'text/plain': '42' } });
  assert.equal(out.bad?.status, 'error');
  assert.equal(out.thrown?.status === 'error' && out.thrown.ename, 'ReferenceError');
});

test('a function may use a name that a later cell declares', async () => {
  await value('function describe() { return `${unitName}: ${typeof unitName}` }');
  const early = (await nb.run('describe()')).outcome;
  assert.equal(early.status === 'error' && early.ename, 'ReferenceError');
  await value('const unitName = "metres"');
  assert.equal(await value('describe()'), "'metres: string'");
});
