import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingContext } from './fake-context.js';
import { notebook, plain } from './harness.js';

const nb = await notebook();
after(() => nb.session.dispose());

test('interrupting a pending await ends the cell at once and keeps the state', async () => {
  const ctx = new RecordingContext(100);
  // Interrupt once the cell is parked on its await (it says so on stdout).
  const stream = ctx.stream.bind(ctx);
  ctx.stream = (name, text) => {
    stream(name, text);
    if (text === 'waiting\n') ctx.controller.abort();
  };
  const running = nb.session.execute('let progress = "started"\nconsole.log("waiting")\nawait new Promise(() => {})\nprogress = "never"', ctx);
  const outcome = await running;
  assert.equal(outcome.status === 'error' && outcome.ename, 'KeyboardInterrupt');
  assert.equal(plain((await nb.run('progress')).outcome), "'started'");
});

test('an execution already interrupted does not run', async () => {
  const ctx = new RecordingContext(101);
  ctx.controller.abort();
  const outcome = await nb.session.execute('globalThis.ranAnyway = true', ctx);
  assert.equal(outcome.status, 'error');
  assert.equal((globalThis as { ranAnyway?: boolean }).ranAnyway, undefined);
});

test('console methods and process.stdout.write go to the cell', async () => {
  const { ctx } = await nb.run('console.log("out", 1, { a: [1] }); console.info("info"); console.debug("debug")\nconsole.warn("warn"); console.error(new Error("e").message)\nconsole.table([{ a: 1 }])\nprocess.stdout.write("raw out\\n"); process.stderr.write("raw err\\n")');
  assert.equal(ctx.text('stdout'), "out 1 { a: [ 1 ] }\ninfo\ndebug\n┌─────────┬───┐\n│ (index) │ a │\n├─────────┼───┤\n│ 0       │ 1 │\n└─────────┴───┘\nraw out\n");
  assert.equal(ctx.text('stderr'), 'warn\ne\nraw err\n');
});

test('output from background work lands in the cell that started it', async () => {
  const first = await nb.run('let release: () => void = () => {}\nconst gate = new Promise<void>((r) => (release = r))\ngate.then(() => console.log("late from cell one"))\nsetTimeout(() => process.stdout.write("timer from cell one\\n"), 1); "started"');
  const second = await nb.run('console.log("cell two"); release()');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(first.ctx.text('stdout'), 'late from cell one\ntimer from cell one\n');
  assert.equal(second.ctx.text('stdout'), 'cell two\n');
});

test('input and password prompt through the context', async () => {
  const ctx = new RecordingContext(102);
  ctx.answers = ['Ada', 's3cret'];
  const outcome = await nb.session.execute('const who = await input("name? ")\nconst pw = await password("password: ");\n`${who}:${pw.length}`', ctx);
  assert.equal(plain(outcome), "'Ada:6'");
  assert.deepEqual(ctx.prompts, [
    { prompt: 'name? ', password: false },
    { prompt: 'password: ', password: true },
  ]);
  const denied = await nb.session.execute('await input("x")', new RecordingContext(103, false));
  assert.equal(denied.status, 'error');
});

test('display and clearOutput from a cell; a handle updates its display by id', async () => {
  const { ctx, outcome } = await nb.run('const h = display.markdown("**one**")\nh.update({ "text/plain": "two" }, { raw: true })\nclearOutput(true)\nh.displayId');
  assert.equal(ctx.displays.length, 2);
  const [shown, updated] = ctx.displays;
  assert.deepEqual(shown?.data, { 'text/markdown': '**one**', 'text/plain': '**one**' });
  assert.equal(shown?.options?.update, false);
  assert.deepEqual(updated, { data: { 'text/plain': 'two' }, options: { displayId: shown?.options?.displayId, update: true } });
  assert.equal(plain(outcome), `'${shown?.options?.displayId}'`);
  assert.deepEqual(ctx.clears, [true]);
});

test('a cell value with the display protocol is its execute_result', async () => {
  const { outcome } = await nb.run('({ [Symbol.for("windowpane.mimeBundle")]() { return { "text/html": "<b>me</b>" } } })');
  assert.equal(outcome.status === 'ok' && outcome.result?.['text/html'], '<b>me</b>');
  assert.ok(outcome.status === 'ok' && typeof outcome.result?.['text/plain'] === 'string');
});

