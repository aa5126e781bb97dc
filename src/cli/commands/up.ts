import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBroker, stopBroker } from '../../local-kafka/broker.js';
import { startLab, type RunningLab } from '../../jupyter/lab.js';
import { checkVenv, SETUP_SCRIPT, venvDir } from '../../jupyter/venv.js';
import { packageRoot } from '../../util/paths.js';
import { ConfigError, errorMessage } from '../../errors.js';
import { messages } from '../../messages.js';
import { QUICKSTART_DEMO, quickstartPassMs, startQuickstartStream } from '../../datasets/quickstart.js';
import type { DemoStream } from '../../datasets/demo.js';
import { parseFlags, type Command } from '../command.js';

const usage = `usage: windowpane up [--port N] [--notebooks DIR] [--no-kafka] [--no-demo] [--demo-speedup X] [--json]

The main job: starts the local Kafka broker (or uses WINDOWPANE_KAFKA_BROKERS), prepares the Python
environment, installs the Windowpane kernel and JupyterLab extension into it, starts the quickstart's
demo stream on the local broker (flights replayed into the topic ${QUICKSTART_DEMO.liveTopic} at ${QUICKSTART_DEMO.speedup}x event
time, or --demo-speedup X; it loops over the live days, each pass later in event time, so the
quickstart stays live; --no-demo skips it), and runs JupyterLab on 127.0.0.1 with the example
notebooks, printing the URL to open.
Ctrl-C, or SIGINT or SIGTERM at any point, stops JupyterLab and the demo stream, and the broker too
when this command started it.`;

function log(line: string): void {
  process.stderr.write(`windowpane up: ${line}\n`);
}

/** The first SIGINT or SIGTERM aborts; the listeners stay so that repeats cannot kill the clean-up half-way. */
function stopOnSignals(): { readonly signal: AbortSignal; readonly reason: () => string | undefined; remove(): void } {
  const abort = new AbortController();
  let received: string | undefined;
  // Under `npm start` one Ctrl-C arrives several times (from the terminal, and forwarded by npm and
  // scripts/start.mjs): only the first one counts.
  const onSignal = (name: NodeJS.Signals) => {
    if (abort.signal.aborted) return;
    received = name;
    abort.abort();
  };
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, onSignal);
  return { signal: abort.signal, reason: () => received, remove: () => ['SIGINT', 'SIGTERM'].forEach((s) => process.removeListener(s, onSignal)) };
}

/**
 * Runs a set-up step (a script, the CLI) in its own process group, saying that it still works when
 * it takes long; a stop signal ends the whole group. A failing optional step only warns.
 */
async function step(what: string, cmd: string, args: readonly string[], options: { optional: boolean; signal: AbortSignal; env?: NodeJS.ProcessEnv; heartbeat?: boolean }): Promise<void> {
  if (options.signal.aborted) return;
  const t0 = Date.now();
  const child = spawn(cmd, args, { cwd: packageRoot, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...options.env }, detached: true });
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // the step has just ended
    }
  };
  options.signal.addEventListener('abort', kill);
  const ticker = options.heartbeat === false ? undefined : setInterval(() => log(`${what}: still working (${Math.round((Date.now() - t0) / 1000)}s)`), 15_000);
  try {
    const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => resolve([c, s]));
    });
    if (code === 0 || options.signal.aborted) return;
    if (!options.optional) throw new ConfigError('up-step-failed', `${what} failed (exit ${code ?? sig}); see the messages above.`);
    log(`${what} failed; continuing without it`);
  } finally {
    clearInterval(ticker);
    options.signal.removeEventListener('abort', kill);
  }
}

export const upCommand: Command = {
  name: 'up',
  summary: 'run the local Kafka and JupyterLab with the kernel and the example notebooks',
  usage,
  async run(args) {
    const { flags } = parseFlags(args, ['no-kafka', 'no-demo', 'json']);
    const portFlag = flags.get('port')?.[0];
    const notebooks = flags.get('notebooks')?.[0] ?? join(packageRoot, 'notebooks');
    const speedupFlag = flags.get('demo-speedup')?.at(-1);
    const speedup = speedupFlag === undefined ? QUICKSTART_DEMO.speedup : Number(speedupFlag);
    if (!(speedup > 0) || !Number.isFinite(speedup)) throw new ConfigError('invalid-option', messages.invalidRunOption('--demo-speedup', String(speedupFlag), 'a positive number, e.g. 600 for ten hours of flights per minute'));

    const stop = stopOnSignals();

    let startedBroker = false;
    let demo: DemoStream | undefined;
    let lab: RunningLab | undefined;
    try {
      // 1. Kafka: the configured cluster, or the local broker.
      let bootstrap = process.env.WINDOWPANE_KAFKA_BROKERS;
      if (!bootstrap && !flags.has('no-kafka')) {
        const broker = await startBroker({ log });
        startedBroker = broker.started;
        bootstrap = broker.bootstrap;
        log(`Kafka ${broker.started ? 'started' : 'already running'} on ${broker.bootstrap}`);
      }

      // 2. Python environment, kernelspec and extension (each says so when it has work to do).
      const signal = stop.signal;
      await step('setting up the Python environment', 'bash', [SETUP_SCRIPT], { optional: false, signal, env: { WINDOWPANE_VENV: venvDir() }, heartbeat: false }); // it reports its own progress
      if (!signal.aborted) checkVenv();
      await step('installing the Windowpane kernel', process.execPath, [join(packageRoot, 'bin', 'windowpane.js'), 'kernel', 'install', '--prefix', venvDir()], { optional: true, signal });
      const buildExtension = join(packageRoot, 'scripts', 'build-extension.sh');
      if (existsSync(buildExtension)) await step('building the JupyterLab extension', 'bash', [buildExtension], { optional: true, signal });

      // 3. The quickstart's demo stream, in the background of this process (before JupyterLab, so the
      //    topic exists when the notebook opens). Only on the local broker: it recreates its topic.
      const localBroker = bootstrap !== undefined && !process.env.WINDOWPANE_KAFKA_BROKERS;
      if (bootstrap && !localBroker && !flags.has('no-demo')) log(`demo stream skipped: Kafka is the configured cluster ${bootstrap}; the quickstart replays into its own topic when run`);
      if (localBroker && !flags.has('no-demo') && !signal.aborted) demo = await startDemo(speedup);

      // 4. JupyterLab on the notebooks.
      if (!signal.aborted) {
        const quickstart = existsSync(join(notebooks, 'quickstart.ipynb')) ? 'quickstart.ipynb' : undefined;
        lab = await startLab({
          rootDir: notebooks,
          ...(portFlag ? { port: Number(portFlag) } : {}),
          ...(quickstart ? { open: quickstart } : {}),
          env: { ...(bootstrap ? { WINDOWPANE_KAFKA_BROKERS: bootstrap } : {}), ...(demo ? { [QUICKSTART_DEMO.envVariable]: demo.topic } : {}) },
        });
        const info = { url: lab.url, kafka: bootstrap ?? null, notebooks, pid: lab.process.pid };
        process.stdout.write(flags.has('json') ? JSON.stringify(info) + '\n' : `\nJupyterLab is ready: ${lab.url}\nKafka: ${bootstrap ?? 'not started'}\nPress Ctrl-C to stop.\n`);

        // 5. Run until a stop signal, or until JupyterLab exits by itself.
        const exited = lab.process;
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve());
          exited.once('exit', () => resolve());
        });
      }
      return 0;
    } finally {
      // 6. Stop what was started, in reverse order.
      const reason = stop.reason() ?? (lab ? 'JupyterLab exited' : undefined);
      if (demo || lab || startedBroker) log(`stopping${reason ? ` (${reason})` : ''}`);
      await demo?.stop();
      await lab?.stop();
      if (startedBroker) await stopBroker();
      stop.remove();
    }
  },
};

/** Starts the looping demo stream; a failure only warns (JupyterLab is still useful without it). */
async function startDemo(speedup: number): Promise<DemoStream | undefined> {
  try {
    let pass = 0;
    const demo = await startQuickstartStream({
      speedup,
      onProgress: (p) => {
        if (p.pass === pass) return;
        pass = p.pass;
        log(`demo stream: pass ${pass + 1} over the live days, event time now ${p.eventTime?.slice(0, 16) ?? '?'}`);
      },
    });
    const minutes = quickstartPassMs(speedup) / 60_000;
    log(`demo stream: replaying the ${QUICKSTART_DEMO.liveDays} live days of flights into ${demo.topic} at ${speedup}x event time, in a loop (a pass every ${minutes < 1 ? `${Math.round(minutes * 60)}s` : `${minutes.toFixed(1)} min`}, each ${QUICKSTART_DEMO.liveDays} days later in event time)`);
    demo.done.then(
      (r) => !r.stopped && log(`demo stream finished: ${r.sent} events sent to ${r.topic}`),
      (e: unknown) => log(messages.demoStreamFailed(demo.topic, errorMessage(e))),
    );
    return demo;
  } catch (e) {
    log(messages.demoStreamFailed(QUICKSTART_DEMO.liveTopic, errorMessage(e)));
    return undefined;
  }
}
