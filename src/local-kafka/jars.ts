import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** How far a jar download got: the jars in the folder so far and their size. */
export interface JarProgress {
  readonly jars: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

function jarProgress(lib: string, t0: number): JarProgress {
  const jars = readdirSync(lib).filter((f) => f.endsWith('.jar'));
  return { jars: jars.length, bytes: jars.reduce((n, f) => n + statSync(join(lib, f)).size, 0), elapsedMs: Date.now() - t0 };
}

/**
 * Copies the broker's jars into the cache folder with Maven, once per pom version. Returns the
 * classpath. Maven is only needed the first time. `onProgress` hears how far it got every second;
 * without it, a log line says so every 15 s.
 */
export function ensureJars(paths: KafkaPaths, log: (line: string) => void, onProgress?: (progress: JarProgress) => void): Promise<string> {
  const pom = readFileSync(paths.pom);
  const digest = createHash('sha256').update(pom).digest('hex');
  const classpath = `${paths.lib}/*`;
  if (existsSync(paths.libMarker) && readFileSync(paths.libMarker, 'utf8').trim() === digest) return Promise.resolve(classpath);

  // the checks throw at once; the fetch runs in the background of the returned promise
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) throw new EnvironmentError('maven-missing', messages.mavenMissing());
  log(`fetching the Kafka ${kafkaVersion(paths)} jars with Maven into ${paths.lib} (once)`);
  mkdirSync(paths.lib, { recursive: true });
  return fetchJars(paths, log, digest, classpath, onProgress);
}

async function fetchJars(paths: KafkaPaths, log: (line: string) => void, digest: string, classpath: string, onProgress?: (progress: JarProgress) => void): Promise<string> {
  const t0 = Date.now();
  // a first fetch can take a minute: say how far it got
  const tell = () => {
    const p = jarProgress(paths.lib, t0);
    if (onProgress) onProgress(p);
    else log(`still fetching the Kafka jars: ${p.jars} so far (${Math.round(p.elapsedMs / 1000)}s)`);
  };
  const ticker = setInterval(tell, onProgress ? 1000 : 15_000);
  const run = await new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn('mvn', ['-B', '-q', '-f', paths.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${paths.lib}`, '-DincludeScope=runtime', '-Dmdep.overWriteReleases=true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-64_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (e) => resolve({ status: null, output: e.message }));
    child.once('close', (status) => resolve({ status, output }));
  }).finally(() => clearInterval(ticker));
  if (onProgress && run.status === 0) onProgress(jarProgress(paths.lib, t0));
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
