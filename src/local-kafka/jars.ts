import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import type { KafkaPaths } from './paths.js';

/** `java` (from JAVA_HOME when set) and a check that it is 17 or newer. */
export function javaCommand(): string {
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new EnvironmentError('java-missing', messages.javaMissing());
  const m = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major < 17) throw new EnvironmentError('java-too-old', messages.javaTooOld(probe.stderr.split('\n')[0] ?? 'unknown'));
  return java;
}

/** The Kafka version the pom asks for. */
export function kafkaVersion(paths: KafkaPaths): string {
  return /<kafka\.version>([^<]+)</.exec(readFileSync(paths.pom, 'utf8'))?.[1] ?? 'unknown';
}

/**
 * Copies the broker's jars into the cache folder with Maven, once per pom version. Returns the
 * classpath. Maven is only needed the first time.
 */
export function ensureJars(paths: KafkaPaths, log: (line: string) => void): Promise<string> {
  const pom = readFileSync(paths.pom);
  const digest = createHash('sha256').update(pom).digest('hex');
  const classpath = `${paths.lib}/*`;
  if (existsSync(paths.libMarker) && readFileSync(paths.libMarker, 'utf8').trim() === digest) return Promise.resolve(classpath);

  // the checks throw at once; the fetch runs in the background of the returned promise
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) throw new EnvironmentError('maven-missing', messages.mavenMissing());
  log(`fetching the Kafka ${kafkaVersion(paths)} jars with Maven into ${paths.lib} (once)`);
  mkdirSync(paths.lib, { recursive: true });
  return fetchJars(paths, log, digest, classpath);
}

async function fetchJars(paths: KafkaPaths, log: (line: string) => void, digest: string, classpath: string): Promise<string> {
  const t0 = Date.now();
  // a first fetch can take a minute: say how far it got
  const ticker = setInterval(() => log(`still fetching the Kafka jars: ${readdirSync(paths.lib).filter((f) => f.endsWith('.jar')).length} so far (${Math.round((Date.now() - t0) / 1000)}s)`), 15_000);
  const run = await new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn('mvn', ['-B', '-q', '-f', paths.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${paths.lib}`, '-DincludeScope=runtime', '-Dmdep.overWriteReleases=true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-64_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (e) => resolve({ status: null, output: e.message }));
    child.once('close', (status) => resolve({ status, output }));
  }).finally(() => clearInterval(ticker));
  if (run.status !== 0) {
    const out = run.output.trim().split('\n').slice(-20).join('\n');
    throw new EnvironmentError('maven-failed', messages.mavenFailed(out));
  }
  if (!readdirSync(paths.lib).some((f) => f.startsWith('kafka_2.13-'))) {
    throw new EnvironmentError('maven-no-jar', messages.mavenFailed('no kafka_2.13 jar was copied'));
  }
  writeFileSync(paths.libMarker, digest + '\n');
  return classpath;
}
