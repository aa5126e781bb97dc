import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { notebook, plain, writeFiles } from './harness.js';

const nb = await notebook();
after(() => nb.session.dispose());
const value = async (code: string) => plain((await nb.run(code)).outcome);

writeFiles(nb.dir, {
  'node_modules/esm-only-pkg/package.json': JSON.stringify({ name: 'esm-only-pkg', type: 'module', exports: { import: './index.js' } }),
  'node_modules/esm-only-pkg/index.js': 'export const greeting = "hello from ESM"; export default function shout(s) { return s.toUpperCase(); }',
  'lib/math.ts': 'export interface Pair { a: number; b: number }\nexport const sum = (p: Pair): number => p.a + p.b;\nexport default 7;\n',
  'data.json': '{"rows": 3}',
});

test('node built-ins, with and without the node: prefix', async () => {
  assert.equal(await value('import { readFileSync } from "node:fs"; import path from "path"; import * as os from "os"\n[typeof readFileSync, path.basename("/a/b.txt"), typeof os.cpus]'), "[ 'function', 'b.txt', 'function' ]");
  assert.equal(await value('typeof readFileSync'), "'function'", 'import bindings persist');
});

test('an ESM-only package in the notebook folder: named and default imports', async () => {
  assert.equal(await value('import shout, { greeting } from "esm-only-pkg"\nshout(greeting)'), "'HELLO FROM ESM'");
});

test("an ESM-only package from the kernel's own dependencies (vega-lite)", async () => {
  assert.equal(await value('import { compile } from "vega-lite"\nObject.keys(compile({ mark: "point", data: { values: [] } }).spec).includes("marks")'), 'true');
});

test('a local TypeScript file, relative to the notebook folder; type-only imports vanish', async () => {
  assert.equal(await value('import seven, { sum, type Pair } from "./lib/math.ts"\nimport type { Pair as P2 } from "./lib/math.ts"\nconst p: Pair & P2 = { a: 1, b: 2 }\nsum(p) + seven'), '10');
});

test('JSON with an import attribute, and require from the notebook folder', async () => {
  assert.equal(await value('import data from "./data.json" with { type: "json" }\ndata.rows'), '3');
  assert.equal(await value('require("./data.json").rows + 1'), '4');
});

test('`windowpane` is the preloaded library instance', async () => {
  assert.equal(await value('import { loadKafkaSettings, WindowpaneError } from "windowpane"\nimport * as lib from "windowpane"\n[loadKafkaSettings === wp.loadKafkaSettings, lib === wp, new WindowpaneError("internal", "m") instanceof Error]'), '[ true, true, true ]');
});

test('windowpane subpaths resolve through the package self-reference', async () => {
  assert.equal(await value('import manifest from "windowpane/package.json" with { type: "json" }\nmanifest.name'), "'windowpane'");
});

test('a dynamic import() in a cell resolves like a static one, from the notebook folder', async () => {
  assert.equal(await value('const m = await import("esm-only-pkg")\nm.greeting'), "'hello from ESM'");
  assert.equal(await value('(await import("./lib/math.ts")).default'), '7');
  assert.equal(await value('typeof (await import("windowpane")).sql'), "'function'");
});

test('a package that does not exist fails the cell with the loader error', async () => {
  const { outcome } = await nb.run('import { x } from "no-such-package-anywhere"');
  assert.equal(outcome.status, 'error');
  assert.match(outcome.status === 'error' ? outcome.evalue : '', /no-such-package-anywhere/);
});
