// A node:test reporter for the runner's watchdog (scripts/test.mjs): one JSON line per test file
// started or ended and per test started, so a tier that hangs can be stopped naming its file and test.
import { relative } from 'node:path';

export default async function* progress(source) {
  for await (const event of source) {
    const { file, name } = event.data ?? {};
    if (!file) continue;
    const rel = relative(process.cwd(), file);
    const isFile = name === file;
    if (event.type === 'test:dequeue') yield JSON.stringify({ at: Date.now(), [isFile ? 'fileStart' : 'testStart']: isFile ? rel : name, file: rel }) + '\n';
    else if (event.type === 'test:complete' && isFile) yield JSON.stringify({ at: Date.now(), fileEnd: rel, file: rel }) + '\n';
  }
}
