// The system packages the tests need, installed with apt-get when missing (as the Kafka jars are
// fetched with Maven and the Python environment made with venv): Java and Maven (the local Kafka
// broker and Flink), python3-venv (Jupyter), Debian's chromium (browser tests) and the DejaVu fonts
// (charts rendered to SVG/PNG, goldens included). Without root (or password-less sudo) or without
// apt-get it says which packages to install and how. `npm start` asks for the same packages as the
// Jupyter tier (everything but chromium) under the name 'start'. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What each package is for, how to see that it is there, and which test tiers need it. */
export const SYSTEM_PACKAGES = [
  { name: 'fonts-dejavu-core', why: 'fonts for charts rendered to SVG/PNG', tiers: ['unit', 'integration', 'faults', 'jupyter', 'browser', 'start'], present: (p) => p.file('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf') },
  { name: 'openjdk-17-jre-headless', why: 'Java for the local Kafka broker', tiers: ['integration', 'faults', 'jupyter', 'browser', 'start'], present: (p) => p.command('java') },
  { name: 'maven', why: 'Maven, which fetches the Kafka jars', tiers: ['integration', 'faults', 'jupyter', 'browser', 'start'], present: (p) => p.command('mvn') },
  { name: 'python3-venv', why: 'Python with venv for Jupyter', tiers: ['integration', 'faults', 'jupyter', 'browser', 'start'], present: (p) => p.python() },
  { name: 'util-linux', why: 'unshare and mount, for the fault tier\'s small filesystem', tiers: ['faults'], present: (p) => p.command('unshare') },
  { name: 'chromium', why: 'Chromium for the browser tests', tiers: ['browser'], present: (p) => p.file('/usr/bin/chromium') },
];

/** The machine as the installer sees it; tests pass their own. */
export const machine = {
  file: (path) => existsSync(path),
  command: (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0,
  python: () => spawnSync(process.env.PYTHON ?? 'python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0,
  root: () => process.getuid?.() === 0,
  sudo: () => spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
  aptGet: () => spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0,
};

/** The packages the given tiers need that the machine lacks. */
export function missingPackages(tiers, probe = machine) {
  return SYSTEM_PACKAGES.filter((p) => p.tiers.some((t) => tiers.includes(t)) && !p.present(probe));
}

/** How to install them: the command to run, or why it cannot run here and what to do instead. */
export function installPlan(missing, probe = machine, command = 'npm test') {
  const who = command === 'npm test' ? 'the tests need' : `${command} needs`;
  const names = missing.map((p) => p.name);
  const list = missing.map((p) => `  ${p.name}: ${p.why}`).join('\n');
  if (!probe.aptGet()) {
    return { error: `${who} these packages and this machine has no apt-get to install them:\n${list}\nInstall their equivalents with your system's package manager, then run ${command} again.` };
  }
  const sudo = probe.root() ? [] : probe.sudo() ? ['sudo', '-n'] : undefined;
  if (!sudo) {
    return { error: `${who} these Debian packages, and installing them needs root:\n${list}\nRun: sudo apt-get install -y --no-install-recommends ${names.join(' ')}\nthen ${command} again.` };
  }
  return { commands: [[...sudo, 'apt-get', 'update', '-qq'], [...sudo, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...names]] };
}

/**
 * Installs what the tiers (or 'start') lack; throws with the message of installPlan when it cannot.
 * `prefix` starts every line it prints ('test setup' for npm test, 'windowpane' for npm start).
 */
export function ensureSystemPackages(tiers, { log = (line) => console.log(line), prefix = 'test setup', command = 'npm test' } = {}) {
  const missing = missingPackages(tiers);
  if (missing.length === 0) return;
  const plan = installPlan(missing, machine, command);
  if (plan.error) throw new Error(`${prefix}: ${plan.error}`);
  log(`${prefix}: installing Debian packages: ${missing.map((p) => p.name).join(' ')}`);
  for (const [cmd, ...args] of plan.commands) {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${prefix}: \`${[cmd, ...args].join(' ')}\` failed (exit ${r.status ?? r.signal}); run it by hand to see why.`);
  }
  const still = missingPackages(tiers);
  if (still.length > 0) throw new Error(`${prefix}: still missing after apt-get: ${still.map((p) => p.name).join(' ')}`);
}
