/**
 * When the session waits for the type checker and when it does not, with a checker whose answers
 * the test hands out itself (the real checker's thread is tested in errors.test.ts, assist.test.ts
 * and the jupyter tier).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckerAnswers, CheckerRequest } from '../../../../kernel/session/checker-messages.js';
import { CellSession, type Checker } from '../../../../kernel/session/session.js';
import type { SessionOptions } from '../../../../kernel/session/types.js';
import * as windowpane from '../../../../src/index.js';
import { packageRoot } from '../../../../src/util/paths.js';
import { RecordingContext } from './fake-context.js';
import { plain } from './harness.js';

/** A checker that answers only when the test says so. */
class HeldChecker implements Checker {
  warm = false;
  readonly settled = Promise.resolve();
  readonly asked: { request: CheckerRequest; answer: (a: unknown) => void }[] = [];
  readonly globals: string[] = [];
  private arrived: (() => void) | undefined;

  setGlobals(text: string): void {
    this.globals.push(text);
  }
  ask<K extends CheckerRequest['kind']>(request: CheckerRequest & { kind: K }): Promise<CheckerAnswers[K]> {
    return new Promise((resolve) => {
      this.asked.push({ request, answer: resolve as (a: unknown) => void });
      this.arrived?.();
    });
  }
  /** Resolves once `n` requests have arrived. */
  requests(n: number): Promise<void> {
    return this.asked.length >= n ? Promise.resolve() : new Promise((r) => (this.arrived = () => this.asked.length >= n && r()));
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

const sessions: CellSession[] = [];
after(() => Promise.all(sessions.map((s) => s.dispose())));

function session(typeErrors: SessionOptions['typeErrors'], library: Promise<Record<string, unknown>> = Promise.resolve(windowpane), globals: Record<string, unknown> = {}): { s: CellSession; checker: HeldChecker } {
  const checker = new HeldChecker();
  const s = new CellSession({ cwd: mkdtempSync(join(tmpdir(), 'windowpane-check-')), typeErrors, globals }, packageRoot, checker, () => library);
  sessions.push(s);
  return { s, checker };
}

const typeError = [{ message: "Type 'string' is not assignable to type 'number'.", start: 6, code: 2322 }];

test("'warn' with a cold checker: cells run at once, and the warnings follow when the check is done", async () => {
  const { s, checker } = session('warn');
  const first = new RecordingContext(1);
  assert.equal(plain(await s.execute('const n: number = "x"\nn', first)), "'x'", 'the cell ran while its check was pending');
  assert.equal(plain(await s.execute('n + "!"', new RecordingContext(2))), "'x!'", 'the next cell is not blocked either');
  assert.deepEqual(checker.asked.map((a) => a.request.kind), ['diagnostics', 'diagnostics']);
  assert.equal((checker.asked[1]!.request as { history: string }).history, 'const n: number = "x";', "the next check knows the first cell's declarations");
  assert.equal(first.text('stderr'), '');
  checker.asked[0]!.answer(typeError);
  await new Promise(setImmediate);
  assert.equal(first.text('stderr'), `Cell [1], line 1:7 - warning TS2322: Type 'string' is not assignable to type 'number'.\n  const n: number = "x"\n        ^\n`);
});

test("'warn' with a warm checker: the cell runs beside its check, and the reply waits for the warnings", async () => {
  let ran!: () => void;
  const cellRan = new Promise<void>((r) => (ran = r));
  const { s, checker } = session('warn', undefined, { ranCell: () => ran() });
  checker.warm = true;
  const ctx = new RecordingContext(1);
  let replied = false;
  const outcome = s.execute('const n: number = "x"\nranCell()\nn', ctx).then((o) => ((replied = true), o));
  await cellRan;
  await new Promise(setImmediate);
  assert.equal(replied, false, 'the cell has run, its reply waits for the check');
  checker.asked[0]!.answer(typeError);
  assert.equal(plain(await outcome), "'x'");
  assert.match(ctx.text('stderr'), /^Cell \[1\], line 1:7 - warning TS2322/);
});

test("'error' waits for the check and does not run a cell with type errors", async () => {
  let runs = 0;
  const { s, checker } = session('error', undefined, { ranCell: () => runs++ });
  const outcome = s.execute('const n: number = "x"\nranCell()', new RecordingContext(1));
  await checker.requests(1);
  assert.equal(runs, 0);
  checker.asked[0]!.answer(typeError);
  const failed = await outcome;
  assert.equal(failed.status === 'error' && failed.ename, 'TSError');
  assert.equal(runs, 0);
});

test('a cell that uses no name of the library runs before the library has loaded; one that does waits for it', async () => {
  let load!: (w: Record<string, unknown>) => void;
  const { s, checker } = session('ignore', new Promise((r) => (load = r)));
  assert.equal(plain(await s.execute('const x: number = 1\nx + 1', new RecordingContext(1))), '2');
  let done = false;
  const uses = s.execute('typeof wp.source + " " + typeof tumble', new RecordingContext(2)).then((o) => ((done = true), o));
  await new Promise(setImmediate);
  assert.equal(done, false, 'waits for the library');
  load(windowpane);
  assert.equal(plain(await uses), "'function function'");
  assert.equal(plain(await s.execute('x', new RecordingContext(3))), '1', 'the scope kept the earlier cell');
  assert.equal(checker.globals.length, 1);
  assert.match(checker.globals[0]!, /export import tumble = __windowpane\.tumble;/);
});

test('completion while the checker warms up: the live objects answer at once; what they cannot answer waits for the checker', async () => {
  const { s, checker } = session('ignore');
  await s.execute('const numbers = [1, 2, 3]', new RecordingContext(1));
  assert.deepEqual((await s.complete('numbers.fil', 11)).matches, ['fill', 'filter']);
  assert.equal(checker.asked.length, 0, 'the checker was not asked');
  const code = "const greeting = 'hi'\ngreeting.toUpp";
  const typed = s.complete(code, code.length);
  await checker.requests(1);
  assert.equal(checker.asked[0]!.request.kind, 'complete');
  checker.asked[0]!.answer({ matches: ['toUpperCase'], cursorStart: code.length - 5, cursorEnd: code.length });
  assert.deepEqual((await typed).matches, ['toUpperCase']);
});
