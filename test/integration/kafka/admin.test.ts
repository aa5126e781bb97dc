import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopicAndWait } from '../../../src/kafka/admin.js';
import { testKafka, uniqueTopicName } from '../../helpers/kafka.js';

test('a created topic has a leader for every partition when createTopicAndWait returns; a second call says it existed', async () => {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueTopicName('admin');
  try {
    assert.equal(await createTopicAndWait(admin, { topic, partitions: 4 }), true);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.deepEqual(meta.topics[0]!.partitions.map((p) => p.leader >= 0), [true, true, true, true]);
    assert.equal(await createTopicAndWait(admin, { topic, partitions: 4 }), false);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
