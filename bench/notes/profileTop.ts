/**
 * The top self-time functions of a V8 .cpuprofile (node --cpu-prof): self time summed per function
 * name and script, printed as a markdown table.
 *   node --import tsx bench/notes/profileTop.ts <file.cpuprofile> [top=15]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profileTop.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<string, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const f = byId.get(id)?.callFrame;
  const url = (f?.url ?? '').replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/');
  const key = `${f?.functionName || '(anonymous)'} ${url}${url ? `:${(f?.lineNumber ?? 0) + 1}` : ''}`;
  selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
  totalUs += dt;
});
console.log(`| self ms | % | function |\n| ---: | ---: | --- |`);
for (const [key, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 15))) {
  console.log(`| ${(us / 1000).toFixed(0)} | ${((100 * us) / totalUs).toFixed(1)} | ${key} |`);
}
console.log(`\ntotal ${(totalUs / 1000).toFixed(0)} ms`);
