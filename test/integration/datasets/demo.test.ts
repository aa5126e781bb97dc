/**
 * The demo stream behind `npm start` against the real broker: it replays a data set's live file into
 * a fresh topic in the background, stops on request, and a restart does not double the topic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { demoStream } from '../../../src/datasets/demo.js';
import { datasets } from '../../../src/datasets/index.js';
import { testKafka, uniqueTopicName } from '../../helpers/kafka.js';

async function highWater(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

test('a demo stream sends the live file in the background and stops on request', async () => {
  const data = await datasets.flights({ historyDays: 1, liveDays: 1, airports: 2 });
  const topic = uniqueTopicName('demo-flights');
  const progress = new EventEmitter();
  // paced: one hour of event time per second, so it is still running when stopped
  const stream = await demoStream({ file: data.live, topic, speedup: 3600, kafka: testKafka(), onProgress: (p) => progress.emit('sent', p.sent) });
  const [sent] = (await once(progress, 'sent')) as [number];
  await stream.stop();
  const result = await stream.done;
  assert.equal(result.stopped, true);
  assert.ok(sent > 0 && result.sent >= sent && result.sent < result.total, `sent ${result.sent} of ${result.total}`);
  assert.equal(await highWater(topic), result.sent);
});

test('restarting a demo stream recreates its topic instead of appending to it', async () => {
  const data = await datasets.earthquakes({ liveDays: 1 });
  const topic = uniqueTopicName('demo-quakes');
  const first = await (await demoStream({ file: data.live, topic, kafka: testKafka() })).done;
  const second = await (await demoStream({ file: data.live, topic, kafka: testKafka(), partitions: 2 })).done;
  assert.equal(first.sent, second.sent);
  assert.ok(second.sent > 0);
  assert.equal(await highWater(topic), second.sent);
});
