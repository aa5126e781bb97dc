import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBroker, stopBroker } from '../../local-kafka/broker.js';
import { startLab } from '../../jupyter/lab.js';
import { ensureVenv, venvDir } from '../../jupyter/venv.js';
import { packageRoot } from '../../util/paths.js';
import { ConfigError, errorMessage } from '../../errors.js';
import { messages } from '../../messages.js';
import { QUICKSTART_DEMO, startQuickstartStream } from '../../datasets/quickstart.js';
import type { DemoStream } from '../../datasets/demo.js';
import { parseFlags, type Command } from '../command.js';

const usage = `usage: windowpane up [--port N] [--notebooks DIR] [--no-kafka] [--no-demo] [--json]

The main job: starts the local Kafka broker (or uses WINDOWPANE_KAFKA_BROKERS), prepares the Python
environment, installs the Windowpane kernel and JupyterLab extension into it, starts the quickstart's
demo stream on the local broker (flights replayed into the topic ${QUICKSTART_DEMO.liveTopic} at ${QUICKSTART_DEMO.speedup}x event
time; --no-demo skips it), and runs JupyterLab on 127.0.0.1 with the example notebooks, printing the URL to open.
Ctrl-C stops JupyterLab and the demo stream, and the broker too when this command started it.`;

function log(line: string): void {
  process.stderr.write(`windowpane up: ${line}\n`);
}

/** Runs a step of the set-up through the CLI or a script; a failing optional step only warns. */
function step(what: string, cmd: string, args: readonly string[], optional: boolean): void {
  const r = spawnSync(cmd, args, { cwd: packageRoot, stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  if (r.status === 0) return;
  if (!optional) throw new ConfigError('up-step-failed', `${what} failed (exit ${r.status ?? r.signal}); see the messages above.`);
  log(`${what} failed; continuing without it`);
}

export const upCommand: Command = {
  name: 'up',
  summary: 'run the local Kafka and JupyterLab with the kernel and the example notebooks',
  usage,
  async run(args) {
    const { flags } = parseFlags(args, ['no-kafka', 'no-demo', 'json']);
    const portFlag = flags.get('port')?.[0];
    const notebooks = flags.get('notebooks')?.[0] ?? join(packageRoot, 'notebooks');

    // 1. Kafka: the configured cluster, or the local broker.
    let startedBroker = false;
    let bootstrap = process.env.WINDOWPANE_KAFKA_BROKERS;
    if (!bootstrap && !flags.has('no-kafka')) {
      const broker = await startBroker({ log });
      startedBroker = broker.started;
      bootstrap = broker.bootstrap;
      log(`Kafka ${broker.started ? 'started' : 'already running'} on ${broker.bootstrap}`);
    }

    // 2. Python environment, kernelspec and extension.
    ensureVenv();
    step('installing the Windowpane kernel', process.execPath, [join(packageRoot, 'bin', 'windowpane.js'), 'kernel', 'install', '--prefix', venvDir()], true);
    const buildExtension = join(packageRoot, 'scripts', 'build-extension.sh');
    if (existsSync(buildExtension)) step('building the JupyterLab extension', 'bash', [buildExtension], true);

    // 3. The quickstart's demo stream, in the background of this process (before JupyterLab, so the
    //    topic exists when the notebook opens). Only on the local broker: it recreates its topic.
    const localBroker = bootstrap !== undefined && !process.env.WINDOWPANE_KAFKA_BROKERS;
    if (bootstrap && !localBroker && !flags.has('no-demo')) log(`demo stream skipped: Kafka is the configured cluster ${bootstrap}; the quickstart replays into its own topic when run`);
    const demo = localBroker && !flags.has('no-demo') ? await startDemo() : undefined;

    // 4. JupyterLab on the notebooks.
    const quickstart = existsSync(join(notebooks, 'quickstart.ipynb')) ? 'quickstart.ipynb' : undefined;
    const lab = await startLab({
      rootDir: notebooks,
      ...(portFlag ? { port: Number(portFlag) } : {}),
      ...(quickstart ? { open: quickstart } : {}),
      env: { ...(bootstrap ? { WINDOWPANE_KAFKA_BROKERS: bootstrap } : {}), ...(demo ? { [QUICKSTART_DEMO.envVariable]: demo.topic } : {}) },
    });
    const info = { url: lab.url, kafka: bootstrap ?? null, notebooks, pid: lab.process.pid };
    process.stdout.write(flags.has('json') ? JSON.stringify(info) + '\n' : `\nJupyterLab is ready: ${lab.url}\nKafka: ${bootstrap ?? 'not started'}\nPress Ctrl-C to stop.\n`);

    // 5. Run until interrupted or until JupyterLab exits by itself.
    //    The listeners stay: under `npm start` one Ctrl-C arrives several times (from the terminal and
    //    forwarded by npm and scripts/start.mjs), and a repeat must not kill the clean-up half-way.
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve());
      lab.process.once('exit', () => resolve());
    });
    log('stopping');
    await demo?.stop();
    await lab.stop();
    if (startedBroker) await stopBroker();
    return 0;
  },
};

/** Starts the demo stream; a failure only warns (JupyterLab is still useful without it). */
async function startDemo(): Promise<DemoStream | undefined> {
  try {
    const demo = await startQuickstartStream();
    log(`demo stream: replaying flights into ${demo.topic} at ${QUICKSTART_DEMO.speedup}x event time`);
    demo.done.then(
      (r) => log(r.stopped ? 'demo stream stopped' : `demo stream finished: ${r.sent} events sent to ${r.topic}${r.bad.count > 0 ? `, ${r.bad.count} bad rows skipped` : ''}`),
      (e: unknown) => log(messages.demoStreamFailed(demo.topic, errorMessage(e))),
    );
    return demo;
  } catch (e) {
    log(messages.demoStreamFailed(QUICKSTART_DEMO.liveTopic, errorMessage(e)));
    return undefined;
  }
}
