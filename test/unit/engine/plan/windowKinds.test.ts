/**
 * Adding a window kind is forced by the compiler through every place that must know it. The last
 * test follows the recipe once with a toy grid kind, on an in-memory copy of src/: with only the
 * new member of WindowSpec, every file of the recipe fails to compile; with the whole recipe, src/
 * compiles. A recipe step that no longer applies fails the test: update the step with the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followRecipe, type Step } from '../../../helpers/recipe.js';
import { sqlUsage, WINDOW_KINDS, windowKindOfSql, type GridWindow, type WindowKind, type WindowKindInfo } from '../../../../src/engine/plan/window.js';
import { findWindowCall } from '../../../../src/engine/sql/windowCall.js';

const accept = <T>(_value: T): void => undefined;
const kinds = Object.keys(WINDOW_KINDS) as WindowKind[];

test('the table has a row for every kind and no other (checked by tsc over this file)', () => {
  accept<{ readonly [K in WindowKind]: WindowKindInfo }>(WINDOW_KINDS);
  // @ts-expect-error a kind without a row in WINDOW_KINDS does not compile
  accept<{ readonly [K in WindowKind | 'toy']: WindowKindInfo }>(WINDOW_KINDS);
  accept<GridWindow['kind']>('cumulate');
  // @ts-expect-error GridWindow holds the kinds whose row says grid: true
  accept<GridWindow['kind']>('session');
  assert.deepEqual(kinds, ['tumble', 'hop', 'cumulate', 'session']);
});

test('the SQL front end reads every kind of the table by its name and argument count', () => {
  for (const kind of kinds) {
    const info: WindowKindInfo = WINDOW_KINDS[kind];
    assert.equal(windowKindOfSql(info.sqlName.toLowerCase()), kind);
    const durations = info.sqlArgs.map(() => `'1 hour'`);
    const call = findWindowCall(`SELECT window_start, count(*) FROM ${info.sqlName}(ev, ts, ${durations.join(', ')}) GROUP BY ALL`);
    assert.equal(call.window.kind, kind);
    assert.equal(call.sourceName, 'ev');
    assert.throws(() => findWindowCall(`SELECT * FROM ${info.sqlName}(ev, ts)`), new RegExp(`bad window call ${info.sqlName}: ${info.sqlName} takes `));
  }
  assert.equal(windowKindOfSql('count'), undefined);
  assert.equal(sqlUsage('hop'), 'HOP(source, time_column, slide, size [, offset])');
  assert.equal(sqlUsage('session'), 'SESSION(source [PARTITION BY key, ...], time_column, gap)');
});

// ---- the recipe, followed once with a toy kind: tumbling windows under another name ----

const TOY_MEMBER: Step = {
  file: 'src/engine/plan/window.ts',
  find: `  | { readonly kind: 'session'; readonly timeColumn: string; readonly gapMs: number; readonly partitionBy: readonly string[] };`,
  replace: `  | { readonly kind: 'session'; readonly timeColumn: string; readonly gapMs: number; readonly partitionBy: readonly string[] }
  | { readonly kind: 'toy'; readonly timeColumn: string; readonly sizeMs: number; readonly offsetMs: number };`,
};

const RECIPE: readonly Step[] = [
  // 1. the spec and its row: SQL name and arguments, grid or data-dependent
  TOY_MEMBER,
  { file: 'src/engine/plan/window.ts', find: `  session: { sqlName: 'SESSION',`, replace: `  toy: { sqlName: 'TOY', sqlArgs: ['size'], offset: true, partitionBy: false, grid: true },\n  session: { sqlName: 'SESSION',` },
  // 2. what the plan says about it: text, columns read, window lengths
  { file: 'src/engine/plan/window.ts', find: `    case 'session': return \`session(`, replace: `    case 'toy': return \`toy(\${w.timeColumn}, \${w.sizeMs} ms)\`;\n    case 'session': return \`session(` },
  { file: 'src/engine/plan/window.ts', find: `case 'tumble': case 'hop': case 'cumulate': return [w.timeColumn];`, replace: `case 'tumble': case 'hop': case 'cumulate': case 'toy': return [w.timeColumn];` },
  { file: 'src/engine/plan/window.ts', find: `case 'tumble': case 'hop': return w.sizeMs;`, replace: `case 'tumble': case 'hop': case 'toy': return w.sizeMs;` },
  { file: 'src/engine/plan/window.ts', find: `case 'tumble': case 'hop': case 'cumulate': return w.sizeMs;`, replace: `case 'tumble': case 'hop': case 'cumulate': case 'toy': return w.sizeMs;` },
  // 3. the SQL front end: the spec from the call's arguments
  { file: 'src/engine/sql/windowCall.ts', find: `  session: (a) => {`, replace: `  toy: (a) => ({ kind: 'toy', timeColumn: a.timeColumn, sizeMs: a.duration(0, 'window size'), offsetMs: a.offset() }),\n  session: (a) => {` },
  // 4. window assignment in SQL and in JS
  { file: 'src/engine/exec/windowSql.ts', find: `    case 'tumble':\n      return \`SELECT *,`, replace: `    case 'tumble':\n    case 'toy':\n      return \`SELECT *,` },
  { file: 'src/engine/exec/windowSql.ts', find: `    case 'tumble': {\n      const s = down(tUs, size);`, replace: `    case 'tumble':\n    case 'toy': {\n      const s = down(tUs, size);` },
  { file: 'src/engine/exec/windowSql.ts', find: `case 'tumble': case 'cumulate': return w.sizeMs;`, replace: `case 'tumble': case 'cumulate': case 'toy': return w.sizeMs;` },
  { file: 'src/engine/exec/windowSql.ts', find: `case 'tumble': case 'hop': case 'cumulate': return finish(gridAssigned(`, replace: `case 'tumble': case 'hop': case 'cumulate': case 'toy': return finish(gridAssigned(` },
  // 5. the engine that runs it
  { file: 'src/engine/exec/windowEngine.ts', find: `case 'tumble': case 'hop': case 'cumulate': return new GridEngine(o, w);`, replace: `case 'tumble': case 'hop': case 'cumulate': case 'toy': return new GridEngine(o, w);` },
  { file: 'src/engine/exec/windowEngine.ts', find: `case 'tumble': case 'hop': case 'cumulate': return { touched: T.touched };`, replace: `case 'tumble': case 'hop': case 'cumulate': case 'toy': return { touched: T.touched };` },
  { file: 'src/engine/exec/windowEngine.ts', find: `case 'tumble': case 'hop': case 'cumulate': return;`, replace: `case 'tumble': case 'hop': case 'cumulate': case 'toy': return;` },
  // 6. engine 'flink': the window TVF that runs it (or a refusal in flink/check.ts)
  { file: 'src/engine/flink/translate.ts', find: `    case 'tumble': return \`TABLE(TUMBLE(`, replace: `    case 'tumble': case 'toy': return \`TABLE(TUMBLE(` },
];

test('a toy window kind compiles only once every place of the recipe handles it', () => {
  // the new member alone fails in each file of the recipe; the whole recipe compiles
  assert.equal(RECIPE[0], TOY_MEMBER);
  followRecipe(RECIPE);
});
