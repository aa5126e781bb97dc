/**
 * One-shot admin calls (look up a topic, its offsets, the cluster) retried as a whole with back-off
 * when they fail transiently. kafkajs's own request retries are turned off for these admin clients
 * so that one policy, ours, decides; its connect retries (about 8 s on a dead broker, set on the
 * client) still run, and the budget below keeps a dead broker from costing more than that.
 */
import type { Admin, Kafka } from 'kafkajs';
import { retry, type RetryOptions } from '../util/retry.js';
import { toKafkaError, type KafkaAt } from './errors.js';

/** Up to 5 retries, 0.2 s → 1.6 s apart, none started later than 4 s after the first attempt. */
export const BROKER_RETRY: RetryOptions = { retries: 5, initialMs: 200, factor: 2, maxMs: 1600, budgetMs: 4000 };

/** Runs `fn` with a connected admin client; Kafka failures come back as KafkaErrors, the transient ones after retries. */
export function withAdmin<T>(kafka: Kafka, at: KafkaAt, fn: (admin: Admin) => Promise<T>, options: RetryOptions = BROKER_RETRY): Promise<T> {
  return retry(async () => {
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      return await fn(admin);
    } catch (e) {
      throw toKafkaError(e, at);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }, options);
}
