#!/usr/bin/env node
// Fails when the modules of a folder import each other in a cycle.
//
//   node scripts/check-cycles.mjs            checks src/
//   node scripts/check-cycles.mjs DIR...     checks these folders
//
// Every import counts, `import type` and `export ... from` included: a type-only cycle still ties
// the modules' designs together. Specifiers are resolved the way tsc resolves them (NodeNext, so
// './x.js' is ./x.ts); imports that leave the checked folders are ignored. Each group of modules
// that reach each other is reported with the shortest cycles that cover it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const dirs = (process.argv.length > 2 ? process.argv.slice(2) : ['src']).map((d) => resolve(process.cwd(), d));
const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowJs: true };

function sources(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules') found.push(...sources(p));
    } else if (/\.(m|c)?tsx?$/.test(name) && !name.endsWith('.d.ts')) found.push(p);
  }
  return found;
}

// 1. the import graph: file → the checked files it imports
const files = dirs.flatMap(sources);
const inScope = new Set(files);
const graph = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = new Set();
  for (const ref of importedFiles) {
    const resolved = ts.resolveModuleName(ref.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName;
    if (resolved && inScope.has(resolve(resolved))) targets.add(resolve(resolved));
  }
  graph.set(file, [...targets].sort());
}

// 2. strongly connected components (Tarjan), iteratively so deep chains cannot overflow the stack
function components() {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  let next = 0;
  for (const start of files) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const edges = graph.get(v);
      if (i < edges.length) {
        frame[1]++;
        const w = edges[i];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === index.get(v)) {
        const members = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          members.push(w);
        } while (w !== v);
        if (members.length > 1 || graph.get(v).includes(v)) out.push(members.sort());
      }
    }
  }
  return out;
}

/** The shortest cycle from `start` back to itself inside `members` (breadth first). */
function shortestCycle(start, members) {
  const from = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const between = [];
        for (let u = v; u !== start; u = from.get(u)) between.unshift(u);
        return [start, ...between, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

// 3. report: per component, cycles until every member is on one
const name = (f) => relative(root, f);
const found = components();
for (const members of found) {
  const set = new Set(members);
  const covered = new Set();
  console.error(`import cycle among ${members.length} module(s): ${members.map(name).join(', ')}`);
  for (const m of members) {
    if (covered.has(m)) continue;
    const cycle = shortestCycle(m, set);
    for (const c of cycle) covered.add(c);
    console.error(`  ${cycle.map(name).join(' → ')}`);
  }
}
if (found.length > 0) {
  console.error(`${found.length} import cycle group(s) in ${dirs.map(name).join(', ')}: move the shared types to a module that imports neither side.`);
  process.exit(1);
}
console.log(`no import cycles in ${dirs.map(name).join(', ')} (${files.length} modules)`);
