import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error -- a plain Node script without type declarations
import { installPlan, missingPackages } from '../../../scripts/system-packages.mjs';

interface Pkg {
  readonly name: string;
}
interface Probe {
  file(path: string): boolean;
  command(name: string): boolean;
  python(): boolean;
  root(): boolean;
  sudo(): boolean;
  aptGet(): boolean;
}
const missing = missingPackages as (tiers: string[], probe: Probe) => Pkg[];
const plan = installPlan as (missing: Pkg[], probe: Probe) => { error?: string; commands?: string[][] };

/** A machine with nothing but what `has` names. */
function bare(has: string[] = [], flags: { root?: boolean; sudo?: boolean; apt?: boolean } = {}): Probe {
  return {
    file: (path) => has.includes(path),
    command: (name) => has.includes(name),
    python: () => has.includes('venv'),
    root: () => flags.root ?? true,
    sudo: () => flags.sudo ?? false,
    aptGet: () => flags.apt ?? true,
  };
}

test('each tier asks only for what it needs: chromium for the browser tier, fonts from the unit tier on', () => {
  assert.deepEqual(missing(['unit'], bare()).map((p) => p.name), ['fonts-dejavu-core']);
  assert.deepEqual(missing(['jupyter'], bare()).map((p) => p.name), ['fonts-dejavu-core', 'openjdk-17-jre-headless', 'maven', 'python3-venv']);
  assert.deepEqual(missing(['browser'], bare(['java', 'mvn', 'venv', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'])).map((p) => p.name), ['chromium']);
  assert.deepEqual(missing(['browser'], bare(['java', 'mvn', 'venv', '/usr/bin/chromium', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'])), []);
  assert.deepEqual(missing(['faults'], bare(['java', 'mvn', 'venv', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'])).map((p) => p.name), ['util-linux']);
});

test('as root: apt-get update, then a quiet install of exactly the missing packages', () => {
  const probe = bare(['java', 'mvn', 'venv']);
  assert.deepEqual(plan(missing(['browser'], probe), probe).commands, [
    ['apt-get', 'update', '-qq'],
    ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'fonts-dejavu-core', 'chromium'],
  ]);
  const withSudo = bare([], { root: false, sudo: true });
  assert.deepEqual(plan(missing(['unit'], withSudo), withSudo).commands?.[0], ['sudo', '-n', 'apt-get', 'update', '-qq']);
});

test('without root or without apt-get it says what is missing and what to run', () => {
  const user = bare(['java', 'mvn', 'venv'], { root: false });
  const { error } = plan(missing(['browser'], user), user);
  assert.match(error ?? '', /needs root/);
  assert.match(error ?? '', /chromium: Chromium for the browser tests/);
  assert.match(error ?? '', /Run: sudo apt-get install -y --no-install-recommends fonts-dejavu-core chromium/);
  const other = bare([], { apt: false });
  assert.match(plan(missing(['unit'], other), other).error ?? '', /no apt-get.*\n {2}fonts-dejavu-core/);
});

test('npm start asks for what windowpane up runs on (Java, Maven, Python, fonts), never chromium, and names itself', () => {
  assert.deepEqual(missing(['start'], bare()).map((p) => p.name), ['fonts-dejavu-core', 'openjdk-17-jre-headless', 'maven', 'python3-venv']);
  assert.deepEqual(missing(['start'], bare(['java', 'mvn', 'venv', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'])), []);
  const user = bare(['mvn', 'venv', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'], { root: false });
  const planFor = installPlan as (missing: Pkg[], probe: Probe, command: string) => { error?: string };
  const { error } = planFor(missing(['start'], user), user, 'npm start');
  assert.match(error ?? '', /^npm start needs these Debian packages/);
  assert.match(error ?? '', /sudo apt-get install -y --no-install-recommends openjdk-17-jre-headless\nthen npm start again/);
});
