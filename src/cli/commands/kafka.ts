import { brokerStatus, startBroker, stopBroker } from '../../local-kafka/broker.js';
import { kafkaPaths } from '../../local-kafka/paths.js';
import { securePaths } from '../../local-kafka/secure.js';
import { ConfigError, SourceError } from '../../errors.js';
import { kafkaClient, resolveSettings } from '../../kafka/connect.js';
import { createTopicAndWait } from '../../kafka/admin.js';
import { toKafkaError } from '../../kafka/errors.js';
import { messages } from '../../messages.js';
import { mb, parseFlags, type Command } from '../command.js';
import { progressOutput } from '../progress.js';

const usage = `usage: windowpane kafka <start [--secure] | stop | status> [--json] [--port N]
       windowpane kafka topic <create NAME [--partitions N] [--compact] | delete NAME | list>

Runs a local Apache Kafka broker (KRaft, single node) on 127.0.0.1 for development, demos and tests.
  start    start the broker, or reuse the running one; prints the bootstrap address
           --secure: SASL/SCRAM-SHA-512 over TLS, with a local CA and a user whose random
           password is kept in a file of mode 0600 (never printed); windowpane's own clients
           log in by themselves (see docs/security.md)
  stop     stop it cleanly; nothing is left running
  status   say whether it runs, where, and its memory
  topic    create, delete or list topics (on the configured cluster, else the local broker);
           --compact sets cleanup.policy=compact, as a final-mode Kafka sink wants
Data and logs live in ${kafkaPaths().root} (set WINDOWPANE_STATE_DIR to move them).
The first start fetches the Kafka jars with Maven (Java 17+ and Maven needed).
To use an existing cluster instead, set WINDOWPANE_KAFKA_BROKERS=host:port.`;

export const kafkaCommand: Command = {
  name: 'kafka',
  summary: 'start, stop or inspect the local Kafka broker',
  usage,
  async run(args) {
    const { positional, flags } = parseFlags(args, ['json', 'compact', 'secure']);
    const json = flags.has('json');
    const print = (human: string, data: unknown) => process.stdout.write((json ? JSON.stringify(data) : human) + '\n');
    const portFlag = flags.get('port')?.[0];
    const port = portFlag === undefined ? undefined : Number(portFlag);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new ConfigError('invalid-port', `invalid --port: ${portFlag}. Expected a TCP port number between 1 and 65535.`);
    }
    switch (positional[0]) {
      case 'start': {
        const progress = progressOutput();
        const r = await startBroker({
          ...(port !== undefined ? { port } : {}),
          secure: flags.has('secure'),
          log: (l) => progress.log(`windowpane kafka: ${l}`),
          onJarProgress: (p) => progress.update({ label: 'windowpane kafka: fetching the Kafka jars:', done: p.downloaded, unit: `files downloaded (${mb(p.downloadedBytes)}), ${p.jars} jars copied` }),
        }).finally(() => progress.end());
        const how = r.secure ? `, SASL_SSL ${r.secure.mechanism} as ${r.secure.username}` : '';
        const where = r.secure ? `\n  credentials: ${r.secure.credentials} (mode 0600)\n  CA certificate: ${r.secure.ca}` : '';
        print(r.started ? `Kafka ${r.kafkaVersion} started on ${r.bootstrap} (pid ${r.pid}${how}, ${(r.startMs / 1000).toFixed(1)}s)${where}` : `Kafka already running on ${r.bootstrap} (pid ${r.pid}${how})${where}`, r);
        return 0;
      }
      case 'stop': {
        const r = await stopBroker();
        print(r.stopped ? `Kafka stopped (pid ${r.pid}${r.killed ? ', killed after the grace period' : ''})` : 'Kafka was not running', r);
        return 0;
      }
      case 'status': {
        const s = await brokerStatus();
        if (!s.running) print(`Kafka is not running (state in ${s.paths.root})`, { running: false });
        else
          print(
            `Kafka ${s.state?.kafkaVersion} is running on ${s.state?.bootstrap} (pid ${s.state?.pid}, controller 127.0.0.1:${s.state?.controllerPort}, ${mb(s.rssBytes)} resident, ${s.answering ? 'answering' : 'NOT answering'})\n  data: ${s.state?.secure ? securePaths(s.paths).data : s.paths.data}\n  logs: ${s.paths.logs}${s.state?.secure ? `\n  secure: SASL_SSL ${s.state.secure.mechanism} as ${s.state.secure.username}; credentials ${s.state.secure.credentials}, CA ${s.state.secure.ca}` : ''}`,
            { running: true, answering: s.answering, ...s.state, rssBytes: s.rssBytes, data: s.state?.secure ? securePaths(s.paths).data : s.paths.data, logs: s.paths.logs },
          );
        return s.running && !s.answering ? 1 : 0;
      }
      case 'topic':
        return topicCommand(positional.slice(1), flags, print);
      default:
        process.stderr.write(`${usage}\n`);
        return 2;
    }
  },
};

/** `windowpane kafka topic create | delete | list`: the project's own way to make a topic. */
async function topicCommand(args: readonly string[], flags: ReadonlyMap<string, readonly string[]>, print: (human: string, data: unknown) => void): Promise<number> {
  const [action, name] = args;
  if (action !== 'list' && (action !== 'create' && action !== 'delete' || !name)) {
    process.stderr.write(`${messages.topicCreateUsage()}\n`);
    return 2;
  }
  const partitionsFlag = flags.get('partitions')?.at(-1);
  const partitions = partitionsFlag === undefined ? 1 : Number(partitionsFlag);
  if (!Number.isInteger(partitions) || partitions < 1) throw new ConfigError('invalid-option', messages.invalidRunOption('--partitions', String(partitionsFlag), 'a positive whole number'));
  const settings = resolveSettings();
  const admin = kafkaClient(settings).admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (action === 'list') {
      const shown = topics.filter((t) => !t.startsWith('__')).sort();
      print(shown.length > 0 ? shown.join('\n') : '(no topics)', shown);
      return 0;
    }
    const topic = name!;
    if (action === 'delete') {
      if (!topics.includes(topic)) throw new SourceError('topic-missing', messages.topicNotFound(topic), { context: { topic } });
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
      print(`deleted topic ${topic}`, { topic, deleted: true });
      return 0;
    }
    if (topics.includes(topic)) {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      process.stderr.write(`${messages.topicExists(topic, meta.topics[0]?.partitions.length ?? 0)}\n`);
      return 0;
    }
    const compact = flags.has('compact');
    await createTopicAndWait(admin, { topic, partitions, ...(compact ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}) });
    print(`created topic ${topic} (${partitions} partition${partitions === 1 ? '' : 's'}${compact ? ', compacted' : ''})`, { topic, partitions, compact });
    return 0;
  } catch (e) {
    throw toKafkaError(e, { brokers: settings.brokers.join(','), ...(name ? { topic: name } : {}) });
  } finally {
    await admin.disconnect();
  }
}
