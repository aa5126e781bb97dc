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

test('forty topics created at once all get their leaders: a metadata answer that does not know a new topic yet is waited out', async () => {
  const kafka = testKafka();
  const topics = Array.from({ length: 40 }, () => uniqueTopicName('admin-many'));
  try {
    // each from its own admin, as concurrent cells or test files do; KRaft answers
    // UNKNOWN_TOPIC_OR_PARTITION for some of them for a moment after their creation
    const created = await Promise.all(topics.map(async (topic) => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await createTopicAndWait(admin, { topic, partitions: 3 });
      } finally {
        await admin.disconnect();
      }
    }));
    assert.deepEqual(created, topics.map(() => true));
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      assert.ok(meta.topics.every((t) => t.partitions.length === 3 && t.partitions.every((p) => p.leader >= 0)));
    } finally {
      await admin.disconnect();
    }
  } finally {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
});
