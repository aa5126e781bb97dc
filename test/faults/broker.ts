/**
 * A private Kafka broker for a fault that kills it: its own state folder and port, never the shared
 * test broker. `kill()` is a kill -9 of the JVM; `restart()` starts it again on the same data and port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { createTopicAndWait } from '../../src/kafka/admin.js';
import { createKafka } from '../../src/kafka/client.js';
import { startBroker, stopBroker } from '../../src/local-kafka/broker.js';
import { kafkaPaths, type KafkaPaths } from '../../src/local-kafka/paths.js';
import { freePort } from '../../src/local-kafka/ports.js';
import { isProcessAlive, readBrokerState } from '../../src/local-kafka/state.js';

export interface PrivateBroker {
  readonly bootstrap: string;
  /** The state folder (WINDOWPANE_STATE_DIR for a child process that should use this broker). */
  readonly stateDir: string;
  readonly paths: KafkaPaths;
  /** A client with short timeouts, for the test's own producing and reading. */
  readonly kafka: Kafka;
  /** kill -9 of the broker's JVM; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same data and port; resolves once it answers, with the time that took (ms). */
  restart(): Promise<number>;
  /** Stops it (if running) and removes its state folder. */
  remove(): Promise<void>;
}

export async function startPrivateBroker(prefix: string): Promise<PrivateBroker> {
  const stateDir = mkdtempSync(join(tmpdir(), `windowpane-${prefix}-`));
  const paths = kafkaPaths(join(stateDir, 'kafka'));
  const started = await startBroker({ paths, port: await freePort() });
  const kafka = createKafka({ brokers: [started.bootstrap], clientId: `windowpane-${prefix}`, connectionTimeoutMs: 3000, requestTimeoutMs: 10_000 });
  return {
    bootstrap: started.bootstrap,
    stateDir,
    paths,
    kafka,
    async kill() {
      const pid = readBrokerState(paths)?.pid;
      if (pid === undefined) throw new Error('test setup: the private broker is not running');
      process.kill(pid, 'SIGKILL');
      // not our child: its end can only be seen by asking
      while (isProcessAlive(pid)) await delay(20);
    },
    async restart() {
      const t0 = performance.now();
      const again = await startBroker({ paths });
      if (again.bootstrap !== started.bootstrap) throw new Error(`test setup: the broker came back on ${again.bootstrap}, not ${started.bootstrap}`);
      return Math.round(performance.now() - t0);
    },
    async remove() {
      await stopBroker({ paths, graceMs: 5000 }).catch(() => undefined);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Creates a topic on the broker and waits until every partition has a leader. */
export async function createTopicOn(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicAndWait(admin, { topic, partitions });
  } finally {
    await admin.disconnect();
  }
}

/** Resolves once `check` holds, looking every 20 ms (for states with no event to wait on); rejects after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}
