/** A replay of a file that is not there says where a relative path was looked for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSource } from '../../../src/replay/source.js';
import { SourceError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

test('a missing relative file names the working folder it resolves from; an absolute one does not need to', async () => {
  const relative = 'data/no-such-file.parquet';
  await assert.rejects(openSource(relative), (e: unknown) => e instanceof SourceError && e.message === messages.replayFileMissing(relative) + messages.relativePathNote(relative, process.cwd()) && e.message.includes(process.cwd()));
  await assert.rejects(openSource('/no/such/file.parquet'), (e: unknown) => e instanceof SourceError && e.message === messages.replayFileMissing('/no/such/file.parquet'));
});
