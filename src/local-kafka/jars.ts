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

/** How far a jar download got: files Maven downloaded so far and their size, jars copied into the folder. */
export interface JarProgress {
  readonly downloaded: number;
  readonly downloadedBytes: number;
  readonly jars: number;
  readonly elapsedMs: number;
}

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
/** Maven's (batch mode) line for a finished download: `[INFO] Downloaded from central: URL (12 kB at 34 kB/s)` (3.9 drops the level). */
const DOWNLOADED = /^(?:\[INFO\] )?Downloaded from [^:]+: \S+ \(([\d.,]+) (B|kB|KB|MB|GB)/gm;

/** Downloads named in Maven's output so far. */
export function mavenDownloads(output: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const m of output.matchAll(DOWNLOADED)) {
    files++;
    bytes += Number(m[1]!.replace(/,/g, '')) * UNITS[m[2]!]!;
  }
  return { files, bytes: Math.round(bytes) };
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
  const seen = { files: 0, bytes: 0 };
  const progress = (): JarProgress => ({ downloaded: seen.files, downloadedBytes: seen.bytes, jars: readdirSync(paths.lib).filter((f) => f.endsWith('.jar')).length, elapsedMs: Date.now() - t0 });
  const tell = () => {
    const p = progress();
    if (onProgress) onProgress(p);
    else log(`still fetching the Kafka jars: ${p.downloaded} files downloaded, ${p.jars} jars copied so far (${Math.round(p.elapsedMs / 1000)}s)`);
  };
  const ticker = setInterval(tell, onProgress ? 1000 : 15_000);
  const run = await new Promise<{ status: number | null; output: string }>((resolve) => {
    // not quiet: its "Downloaded from" lines are the progress
    const child = spawn('mvn', ['-B', '-f', paths.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${paths.lib}`, '-DincludeScope=runtime', '-Dmdep.overWriteReleases=true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-64_000));
    child.stdout.on('data', (d: Buffer) => {
      const text = pending + d.toString();
      const cut = text.lastIndexOf('\n') + 1;
      const found = mavenDownloads(text.slice(0, cut));
      seen.files += found.files;
      seen.bytes += found.bytes;
      pending = text.slice(cut);
      keep(d);
    });
    child.stderr.on('data', keep);
    child.once('error', (e) => resolve({ status: null, output: e.message }));
    child.once('close', (status) => resolve({ status, output }));
  }).finally(() => clearInterval(ticker));
  if (onProgress && run.status === 0) onProgress(progress());
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
