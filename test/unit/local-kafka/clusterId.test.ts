// A cluster id never starts with '-': the storage tool would read it as an option and fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newClusterId } from '../../../src/local-kafka/broker.js';

test('cluster ids are 22 base64url characters and never start with a dash', () => {
  // 1 in 64 random ids starts with '-' before the check: 2,000 draws see that case many times over
  for (let i = 0; i < 2000; i++) {
    const id = newClusterId();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
});
