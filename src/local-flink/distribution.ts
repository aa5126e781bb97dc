import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import { packageRoot } from '../util/paths.js';
import type { FlinkPaths } from './paths.js';

/** `java` (from JAVA_HOME when set), checked to be 17 or newer. */
export function flinkJava(): string {
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new EnvironmentError('java-missing', messages.flinkJavaMissing());
  const m = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major < 17) throw new EnvironmentError('java-too-old', messages.flinkJavaTooOld(probe.stderr.split('\n')[0] ?? 'unknown'));
  return java;
}

/** A Python that has pip: python3 on PATH, else the project's environment. */
function pythonWithPip(): string {
  const venv = process.env.WINDOWPANE_VENV ?? join(packageRoot, '.venv');
  for (const python of ['python3', join(venv, 'bin', 'python')]) {
    const probe = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return python;
  }
  throw new EnvironmentError('pip-missing', messages.flinkPipMissing());
}

function lastLines(run: { stdout: string | null; stderr: string | null }, n = 20): string {
  return `${run.stdout ?? ''}\n${run.stderr ?? ''}`.trim().split('\n').slice(-n).join('\n');
}

// Extracts the wheel's pyflink/lib/* and pyflink/bin/bash-java-utils.jar (a wheel is a zip file).
const EXTRACT = `
import os, shutil, sys, zipfile
wheel, dist = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name.startswith('pyflink/lib/') and name.count('/') == 2 and not name.endswith('/'):
            out = os.path.join(dist, 'lib', name[len('pyflink/lib/'):])
        elif name == 'pyflink/bin/bash-java-utils.jar':
            out = os.path.join(dist, 'bin', 'bash-java-utils.jar')
        else:
            continue
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out, 'wb') as dst:
            shutil.copyfileobj(src, dst)
`;

/** What a fetch downloaded, for the log and the report: sizes in bytes. */
export interface FetchReport {
  readonly fetched: boolean;
  readonly wheelBytes?: number;
  readonly mavenBytes?: number;
  readonly ms?: number;
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

function readMarker(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Flink's lib/ and BashJavaUtils from PyPI's apache-flink-libraries wheel, fetched with pip. */
function fetchWheel(paths: FlinkPaths, log: (line: string) => void): number {
  for (const dir of [paths.lib, join(paths.dist, 'bin')]) rmSync(dir, { recursive: true, force: true });
  rmSync(paths.mavenJars, { force: true });
  mkdirSync(paths.download, { recursive: true });
  const python = pythonWithPip();
  log(`fetching Flink ${paths.version} (apache-flink-libraries from PyPI, about 310 MB) into ${paths.dist} (once)`);
  const pip = spawnSync(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-q', `apache-flink-libraries==${paths.version}`, '-d', paths.download], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wheel = readdirSync(paths.download).find((f) => f.startsWith('apache_flink_libraries-') && f.endsWith('.whl'));
  if (pip.status !== 0 || !wheel) throw new EnvironmentError('pip-failed', messages.flinkPipFailed(paths.version, lastLines(pip)));
  const bytes = statSync(join(paths.download, wheel)).size;
  const unzip = spawnSync(python, ['-c', EXTRACT, join(paths.download, wheel), paths.dist], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new EnvironmentError('wheel-unreadable', messages.flinkWheelIncomplete(wheel, `a readable zip (${lastLines(unzip, 5)})`));
  if (!existsSync(join(paths.lib, `flink-dist-${paths.version}.jar`))) throw new EnvironmentError('wheel-incomplete', messages.flinkWheelIncomplete(wheel, `lib/flink-dist-${paths.version}.jar`));
  if (!existsSync(paths.bashJavaUtils)) throw new EnvironmentError('wheel-incomplete', messages.flinkWheelIncomplete(wheel, 'bin/bash-java-utils.jar'));
  // The wheel itself is not needed any more (pip keeps its own cache).
  rmSync(paths.download, { recursive: true, force: true });
  writeFileSync(paths.wheelMarker, paths.version + '\n');
  return bytes;
}

/** What the wheel lacks, from Maven Central: the gateway (opt/), Kafka and Parquet (lib/). */
function fetchMavenJars(paths: FlinkPaths, log: (line: string) => void): number {
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) throw new EnvironmentError('maven-missing', messages.flinkMavenMissing());
  for (const jar of (readMarker(paths.mavenJars) ?? '').split('\n').filter((l) => l.length > 0)) rmSync(join(paths.dist, jar), { force: true });
  log('fetching the SQL Gateway, the Kafka connector and the Parquet format with Maven (once)');
  const maven = join(paths.download, 'maven');
  rmSync(maven, { recursive: true, force: true });
  const copy = spawnSync('mvn', ['-B', '-q', '-f', paths.pom, 'dependency:copy-dependencies', `-DoutputDirectory=${maven}`, '-DincludeScope=runtime', '-Dmdep.overWriteReleases=true'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (copy.status !== 0) throw new EnvironmentError('maven-failed', messages.flinkMavenFailed(lastLines(copy)));
  const jars = readdirSync(maven).filter((f) => f.endsWith('.jar'));
  if (!jars.some((f) => f.startsWith('flink-sql-gateway-'))) throw new EnvironmentError('maven-failed', messages.flinkMavenFailed('no flink-sql-gateway jar was copied'));
  const bytes = folderBytes(maven);
  mkdirSync(paths.opt, { recursive: true });
  const placed = jars.map((jar) => join(jar.startsWith('flink-sql-gateway-') ? 'opt' : 'lib', jar));
  for (const [i, jar] of jars.entries()) renameSync(join(maven, jar), join(paths.dist, placed[i]!));
  rmSync(paths.download, { recursive: true, force: true });
  writeFileSync(paths.mavenJars, placed.join('\n') + '\n');
  return bytes;
}

/**
 * Makes the Flink distribution ready in the cache folder: the wheel once per Flink version, the
 * Maven jars once per pom. pip and Maven are only needed the first time.
 */
export function ensureDistribution(paths: FlinkPaths, log: (line: string) => void): FetchReport {
  const digest = createHash('sha256').update(readFileSync(paths.pom)).digest('hex');
  if (readMarker(paths.distMarker) === digest && readMarker(paths.wheelMarker) === paths.version) return { fetched: false };
  const t0 = performance.now();
  rmSync(paths.distMarker, { force: true });
  const wheelBytes = readMarker(paths.wheelMarker) === paths.version ? 0 : fetchWheel(paths, log);
  const mavenBytes = fetchMavenJars(paths, log);
  writeFileSync(paths.distMarker, digest + '\n');
  return { fetched: true, wheelBytes, mavenBytes, ms: performance.now() - t0 };
}
