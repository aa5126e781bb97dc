// Global setup for the test tiers that need services: the local Kafka broker (started once per run,
// stopped at the end when this run started it) and the Python environment for Jupyter.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function sh(root, cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`test setup: ${what} failed (exit ${r.status}):\n${r.stdout ?? ''}`);
  return r.stdout;
}

export async function setupServices(root) {
  const env = {};
  let startedKafka = false;
  if (process.env.WINDOWPANE_TEST_BROKERS) {
    env.WINDOWPANE_TEST_BROKERS = process.env.WINDOWPANE_TEST_BROKERS;
  } else {
    const out = sh(root, process.execPath, ['bin/windowpane.js', 'kafka', 'start', '--json'], 'starting the local Kafka broker');
    const state = JSON.parse(out.trim().split('\n').pop());
    startedKafka = state.started;
    env.WINDOWPANE_TEST_BROKERS = state.bootstrap;
    console.log(`test setup: Kafka ${state.started ? 'started' : 'reused'} on ${state.bootstrap}`);
  }
  sh(root, 'bash', ['scripts/setup-python.sh'], 'setting up the Python environment for Jupyter');
  env.WINDOWPANE_VENV = join(root, '.venv');
  if (existsSync(join(root, 'scripts', 'build-extension.sh'))) sh(root, 'bash', ['scripts/build-extension.sh'], 'building the JupyterLab extension');
  return {
    env,
    async teardown() {
      if (startedKafka && !process.env.WINDOWPANE_KEEP_KAFKA) {
        sh(root, process.execPath, ['bin/windowpane.js', 'kafka', 'stop'], 'stopping the local Kafka broker');
      }
    },
  };
}

/**
 * The local Flink cluster, for the tier whose tests run queries on engine 'flink' (integration):
 * started before that tier and stopped after it, whatever failed (unless it was running already, or
 * WINDOWPANE_TEST_FLINK_GATEWAY names a cluster to use). Its gateway reaches the tests and the kernels
 * they start through WINDOWPANE_TEST_FLINK_GATEWAY and WINDOWPANE_FLINK_GATEWAY.
 */
export function startFlink(root) {
  const given = process.env.WINDOWPANE_TEST_FLINK_GATEWAY;
  if (given) return { env: { WINDOWPANE_TEST_FLINK_GATEWAY: given, WINDOWPANE_FLINK_GATEWAY: given }, stop() {} };
  const out = sh(root, process.execPath, ['bin/windowpane.js', 'flink', 'start', '--json'], 'starting the local Flink cluster');
  const state = JSON.parse(out.trim().split('\n').pop());
  console.log(`test setup: Flink ${state.started ? 'started' : 'reused'}, gateway ${state.gateway}`);
  return {
    env: { WINDOWPANE_TEST_FLINK_GATEWAY: state.gateway, WINDOWPANE_TEST_FLINK_WEB_UI: state.webUi, WINDOWPANE_FLINK_GATEWAY: state.gateway },
    stop() {
      if (state.started && !process.env.WINDOWPANE_KEEP_FLINK) sh(root, process.execPath, ['bin/windowpane.js', 'flink', 'stop'], 'stopping the local Flink cluster');
    },
  };
}
