import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from } from '../../../../src/engine/builder/builder.js';
import { intervalJoin } from '../../../../src/engine/join/define.js';
import { compilePipelineSql, statelessSource } from '../../../../src/engine/pipeline/compile.js';
import { planChain, planJoin, planSource, producedFields } from '../../../../src/engine/plan/types.js';
import { source } from '../../../../src/engine/source/define.js';
import { compileSql } from '../../../../src/engine/sql/compile.js';
import { isWindowpaneError } from '../../../../src/errors.js';

const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'DOUBLE' } as const;
const l = source({ name: 'l', time: 'ts', schema, live: { topic: 'l' }, idleTimeout: '10 seconds' });
const r = source({ name: 'r', time: 'ts', schema, live: { topic: 'r' } });

test('a joined stream is an intervalJoin leaf: planSource gives the joined stream, planJoin the join', () => {
  const j = intervalJoin(l, from(r).filter('v > 0'), { on: 'g', lower: '-1 minute', upper: '2 minutes' });
  const plan = compileSql(`SELECT window_start, count(*) AS n FROM TUMBLE(l_r, ts, '10 minutes') GROUP BY ALL`, [j]);
  assert.deepEqual(planChain(plan).map((n) => n.kind), ['intervalJoin', 'window', 'statement']);
  assert.deepEqual(planSource(plan), { name: 'l_r', time: 'ts', maxOutOfOrdernessMs: 0, idleTimeoutMs: 10_000 });
  const join = planJoin(plan);
  assert.ok(join);
  assert.deepEqual([join.lowerMs, join.upperMs, join.rightPrefix, join.on], [-60_000, 120_000, 'r_', { kind: 'keys', keys: ['g'] }]);
  assert.deepEqual(planChain(join.right).map((n) => n.kind), ['scan', 'filter']);
  assert.equal(planJoin(from(l).plan()), undefined);
  assert.deepEqual(producedFields(planChain(from(j).plan())[0]!), []);
});

test('a joined stream is no input of another join nor of a stateless pipeline', () => {
  const j = intervalJoin(l, r, { on: 'g', lower: 0, upper: '1 minute' });
  assert.throws(() => intervalJoin(j, r, { on: 'g', lower: 0, upper: 0 }), (e: unknown) => isWindowpaneError(e) && e.code === 'join-input' && /input a of intervalJoin has an interval join/.test(e.message));
  for (const plan of [from(j).filter('v > 0').plan(), compilePipelineSql('SELECT * FROM l_r', [j])]) {
    assert.throws(() => statelessSource(plan), (e: unknown) => isWindowpaneError(e) && e.code === 'pipeline-stateful' && /has an interval join/.test(e.message));
  }
});
