import { brokerStatus, startBroker, stopBroker } from '../../local-kafka/broker.js';
import { kafkaPaths } from '../../local-kafka/paths.js';
import { ConfigError } from '../../errors.js';
import { mb, parseFlags, type Command } from '../command.js';

const usage = `usage: windowpane kafka <start | stop | status> [--json] [--port N]

Runs a local Apache Kafka broker (KRaft, single node) on 127.0.0.1 for development, demos and tests.
  start    start the broker, or reuse the running one; prints the bootstrap address
  stop     stop it cleanly; nothing is left running
  status   say whether it runs, where, and its memory
Data and logs live in ${kafkaPaths().root} (set WINDOWPANE_STATE_DIR to move them).
The first start fetches the Kafka jars with Maven (Java 17+ and Maven needed).
To use an existing cluster instead, set WINDOWPANE_KAFKA_BROKERS=host:port.`;

export const kafkaCommand: Command = {
  name: 'kafka',
  summary: 'start, stop or inspect the local Kafka broker',
  usage,
  async run(args) {
    const { positional, flags } = parseFlags(args, ['json']);
    const json = flags.has('json');
    const print = (human: string, data: unknown) => process.stdout.write((json ? JSON.stringify(data) : human) + '\n');
    const portFlag = flags.get('port')?.[0];
    const port = portFlag === undefined ? undefined : Number(portFlag);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new ConfigError('invalid-port', `invalid --port: ${portFlag}. Expected a TCP port number between 1 and 65535.`);
    }
    switch (positional[0]) {
      case 'start': {
        const r = await startBroker({ ...(port !== undefined ? { port } : {}), log: (l) => process.stderr.write(`windowpane kafka: ${l}\n`) });
        print(r.started ? `Kafka ${r.kafkaVersion} started on ${r.bootstrap} (pid ${r.pid}, ${(r.startMs / 1000).toFixed(1)}s)` : `Kafka already running on ${r.bootstrap} (pid ${r.pid})`, r);
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
            `Kafka ${s.state?.kafkaVersion} is running on ${s.state?.bootstrap} (pid ${s.state?.pid}, controller 127.0.0.1:${s.state?.controllerPort}, ${mb(s.rssBytes)} resident, ${s.answering ? 'answering' : 'NOT answering'})\n  data: ${s.paths.data}\n  logs: ${s.paths.logs}`,
            { running: true, answering: s.answering, ...s.state, rssBytes: s.rssBytes, data: s.paths.data, logs: s.paths.logs },
          );
        return s.running && !s.answering ? 1 : 0;
      }
      default:
        process.stderr.write(`${usage}\n`);
        return 2;
    }
  },
};
