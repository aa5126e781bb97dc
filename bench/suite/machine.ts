/** The machine and the versions of everything measured, for the top of the report. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { packageRoot } from '../../src/util/paths.js';

function firstLine(cmd: string, args: readonly string[], fromStderr = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'not available';
  return ((fromStderr ? r.stderr : r.stdout) || r.stdout || r.stderr).trim().split('\n')[0] ?? 'unknown';
}

function kcatVersion(): string {
  const r = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  if (r.error) return 'not available';
  const text = `${r.stdout}${r.stderr}`;
  const v = /Version ([^\s]+)/.exec(text)?.[1];
  const rd = /librdkafka ([0-9.]+)/.exec(text)?.[1];
  return v ? `${v}${rd ? ` (librdkafka ${rd})` : ''}` : text.trim().split('\n')[0] ?? 'unknown';
}

function pomVersion(pom: string, property: string): string {
  const file = join(packageRoot, pom);
  if (!existsSync(file)) return 'unknown';
  return new RegExp(`<${property}>([^<]+)<`).exec(readFileSync(file, 'utf8'))?.[1] ?? 'unknown';
}

function npmVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export async function machineInfo(brokers: string): Promise<Record<string, string>> {
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const duckVersion = String((await conn.runAndReadAll('SELECT version()')).getRows()[0]?.[0] ?? 'unknown');
  conn.closeSync();
  duck.closeSync();
  const python = join(packageRoot, '.venv', 'bin', 'python');
  const pyPkg = (m: string) => firstLine(python, ['-c', `import importlib.metadata as m; print(m.version('${m}'))`]);
  return {
    CPU: `${cpus()[0]?.model ?? 'unknown'} (${firstLine('nproc', [])} cores available to this process)`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    // the machine is shared: what else ran matters when reading the figures
    'load average at start': loadavg().map((l) => l.toFixed(2)).join(', '),
    OS: `Linux ${release()}`,
    Node: process.version,
    DuckDB: `${duckVersion} (@duckdb/node-api ${npmVersion('@duckdb/node-api')})`,
    Kafka: `broker ${pomVersion('scripts/kafka/pom.xml', 'kafka.version')} (KRaft, one node, private to this run, ${brokers}); kafkajs ${npmVersion('kafkajs')}`,
    Java: firstLine('java', ['-version'], true),
    kcat: kcatVersion(),
    'Kafka Streams': pomVersion('bench/peers/kstreams/pom.xml', 'kafka.version'),
    Flink: `${pomVersion('bench/peers/flink/pom.xml', 'flink.version')} (flink-connector-kafka ${pomVersion('bench/peers/flink/pom.xml', 'flink.kafka.version')})`,
    tslab: npmVersion('tslab'),
    ipykernel: existsSync(python) ? `${pyPkg('ipykernel')} (Python ${firstLine(python, ['-c', 'import platform; print(platform.python_version())'])})` : 'not available',
  };
}
