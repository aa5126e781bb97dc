import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession } from '../../../../kernel/session/index.js';
import type { ExecuteOutcome, Session, SessionOptions } from '../../../../kernel/session/types.js';
import { RecordingContext } from './fake-context.js';

/** A session in a fresh notebook folder, and a `run` that executes a cell with its own context. */
export async function notebook(options: Partial<SessionOptions> = {}): Promise<{ session: Session; dir: string; run: (code: string) => Promise<{ outcome: ExecuteOutcome; ctx: RecordingContext }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-session-'));
  const session = await createSession({ cwd: dir, typeErrors: 'ignore', ...options });
  await session.evaluate({}); // waits until the session has loaded
  let count = 0;
  const run = async (code: string) => {
    const ctx = new RecordingContext(++count);
    const outcome = await session.execute(code, ctx);
    return { outcome, ctx };
  };
  return { session, dir, run };
}

/** Writes files under `dir` (paths relative to it, parent folders created). */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
}

/** The text/plain result of an ok outcome (throws with the error otherwise, for readable failures). */
export function plain(outcome: ExecuteOutcome): string | undefined {
  if (outcome.status === 'error') throw new Error(`cell failed: ${outcome.traceback.join('\n')}`);
  return outcome.result?.['text/plain'] as string | undefined;
}
