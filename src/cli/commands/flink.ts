import { startCluster, stopCluster } from '../../local-flink/cluster.js';
import { flinkPaths } from '../../local-flink/paths.js';
import { clusterStatus } from '../../local-flink/status.js';
import { FlinkGateway } from '../../flink/gateway.js';
import { configuredGateway } from '../../flink/settings.js';
import { intFlag, mb, parseFlags, type Command } from '../command.js';

const usage = `usage: windowpane flink <start | stop | status> [--json] [--task-managers N] [--gateway-port N]

Runs a local Apache Flink ${flinkPaths().version} cluster on 127.0.0.1: a standalone JobManager, TaskManagers
(two by default, one slot each) and the SQL Gateway, with checkpoints to a local folder.
  start    start the cluster, or reuse the running one; returns once the SQL Gateway answers
  stop     stop every process; nothing is left running, no port is left open
  status   say what runs, where, and its memory
State, logs and checkpoints live in ${flinkPaths().root} (set WINDOWPANE_STATE_DIR to move them).
The first start fetches Flink once: the apache-flink-libraries wheel from PyPI (pip) and the SQL
Gateway, Kafka and Parquet jars from Maven Central (Java 17+, Python with pip, and Maven needed).
To use an existing cluster instead, set WINDOWPANE_FLINK_GATEWAY=http://host:port (its SQL Gateway).`;

export const flinkCommand: Command = {
  name: 'flink',
  summary: 'start, stop or inspect the local Flink cluster (JobManager, TaskManagers, SQL Gateway)',
  usage,
  async run(args) {
    const { positional, flags } = parseFlags(args, ['json']);
    const json = flags.has('json');
    const print = (human: string, data: unknown) => process.stdout.write((json ? JSON.stringify(data) : human) + '\n');
    const taskManagers = intFlag('task-managers', flags.get('task-managers')?.[0], 1, 16);
    const gatewayPort = intFlag('gateway-port', flags.get('gateway-port')?.[0], 1, 65535);
    const external = configuredGateway();
    switch (positional[0]) {
      case 'start': {
        if (external) {
          const info = await new FlinkGateway(external).info();
          print(`using the existing Flink ${info.version} cluster: SQL Gateway ${external} (WINDOWPANE_FLINK_GATEWAY / flink.gateway); nothing started`, { started: false, external: true, gateway: external, flinkVersion: info.version });
          return 0;
        }
        const r = await startCluster({
          ...(taskManagers !== undefined ? { sizing: { taskManagers } } : {}),
          ...(gatewayPort !== undefined ? { ports: { gateway: gatewayPort } } : {}),
          log: (l) => process.stderr.write(`windowpane flink: ${l}\n`),
        });
        const tms = r.processes.filter((p) => p.role === 'taskmanager').length;
        print(
          r.started
            ? `Flink ${r.flinkVersion} started (${tms} TaskManagers, ${(r.startMs / 1000).toFixed(1)}s): SQL Gateway ${r.gateway}, web UI ${r.webUi}`
            : `Flink ${r.flinkVersion} already running: SQL Gateway ${r.gateway}, web UI ${r.webUi}`,
          r,
        );
        return 0;
      }
      case 'stop': {
        const r = await stopCluster();
        print(
          r.stopped ? `Flink stopped (${r.processes.map((p) => `${p.name} ${p.pid}`).join(', ')}${r.killed.length ? `; killed after the grace period: ${r.killed.join(', ')}` : ''}; ${(r.stopMs / 1000).toFixed(1)}s)` : 'Flink was not running',
          r,
        );
        return 0;
      }
      case 'status': {
        if (external) {
          const version = await new FlinkGateway(external).info().then((i) => i.version, () => undefined);
          print(version ? `using the existing Flink ${version} cluster: SQL Gateway ${external} (answering)` : `the configured SQL Gateway ${external} does NOT answer`, { external: true, gateway: external, answering: version !== undefined, flinkVersion: version });
          return version ? 0 : 1;
        }
        const s = await clusterStatus();
        if (!s.running) {
          print(`Flink is not running (state in ${s.paths.root})`, { running: false });
          return 0;
        }
        const lines = [
          `Flink ${s.state?.flinkVersion} is running${s.healthy ? '' : ' but NOT healthy'}: SQL Gateway ${s.state?.gateway} (${s.gatewayVersion ? 'answering' : 'NOT answering'}), web UI ${s.state?.webUi}`,
          ...(s.overview ? [`  ${s.overview.taskManagers} TaskManagers, ${s.overview.slotsAvailable} of ${s.overview.slotsTotal} slots free, ${s.overview.jobsRunning} jobs running`] : []),
          ...s.processes.map((p) => `  ${p.name.padEnd(14)} pid ${p.pid} ${p.alive ? `${mb(p.rssBytes)} resident` : 'NOT running'}  ${p.log}`),
          `  checkpoints: ${s.paths.checkpoints}`,
        ];
        print(lines.join('\n'), { running: true, healthy: s.healthy, ...s.state, processes: s.processes, overview: s.overview, checkpoints: s.paths.checkpoints });
        return s.healthy ? 0 : 1;
      }
      default:
        process.stderr.write(`${usage}\n`);
        return 2;
    }
  },
};
