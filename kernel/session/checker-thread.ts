/**
 * The type checker's thread: one CellLanguageService that answers type checks, completions and
 * inspections for the session (checker.ts). Its warm-up (the lib, @types/node and windowpane's own
 * types: seconds) runs here, so cells, completions from the runtime and interrupts never wait for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { complete, inspect } from './assist.js';
import type { CheckerAnswers, CheckerConfig, CheckerRequest, FromChecker, ToChecker } from './checker-messages.js';
import { CellLanguageService } from './language.js';
import { saveTypeScriptCache } from './ts.js';

const port = parentPort!;
const config = workerData as CheckerConfig;
const post = (m: FromChecker) => port.postMessage(m);
const service = new CellLanguageService(config.cwd, config.packageRoot, config.globals);

function answer(request: CheckerRequest): CheckerAnswers[CheckerRequest['kind']] {
  switch (request.kind) {
    case 'diagnostics':
      return service.diagnostics(request.history, request.code);
    case 'complete':
      return complete(service, request.history, request.code, request.cursorPos);
    case 'inspect':
      return inspect(service, request.history, request.code, request.cursorPos);
  }
}

/** The slow first steps: a check, member completion and global completion each build their caches once. */
function warmUp(): void {
  try {
    service.diagnostics('', '');
    complete(service, '', 'Math.m', 6);
    complete(service, '', 'a', 1);
  } catch {
    // a failing service answers each request with `failed` below; the session then falls back
  }
}

// 1. Warm up with the first globals while the main thread loads the library, and keep TypeScript's
//    compiled code for the next kernel (both threads load it); 2. once the library's exports are
//    declared, warm again (incremental) and say so.
warmUp();
saveTypeScriptCache();
port.on('message', (m: ToChecker) => {
  switch (m.kind) {
    case 'globals':
      service.setGlobals(m.text);
      warmUp();
      post({ kind: 'warm' });
      return;
    case 'request':
      try {
        post({ kind: 'answer', id: m.id, answer: answer(m.request) });
      } catch (e) {
        post({ kind: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) });
      }
      return;
  }
});
