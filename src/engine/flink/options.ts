/** The options of engine 'flink' (QueryRunOptions.flink), checked once here. */
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseGatewayUrl } from '../../flink/settings.js';
import { parseDuration, type DurationInput } from '../duration.js';

export interface FlinkRunOptions {
  /** The SQL Gateway, http://host:port. Default: WINDOWPANE_FLINK_GATEWAY, the config file's flink.gateway, else the local cluster. */
  readonly gateway?: string;
  /** How many parallel instances each operator runs (default 1). The local cluster has one slot per TaskManager. */
  readonly parallelism?: number;
  /** How often the job checkpoints (default 2 s): results reach the query at each checkpoint, exactly once. */
  readonly checkpointInterval?: DurationInput;
  /** Kafka brokers as the Flink cluster reaches them, host:port,... Default: the brokers this process uses. */
  readonly brokers?: string;
  /** Restarts after a failure (a lost TaskManager) before the job fails (default 3). */
  readonly restarts?: number;
}

export interface FlinkSettings {
  readonly gateway: string | undefined;
  readonly parallelism: number;
  readonly checkpointIntervalMs: number;
  readonly brokers: string | undefined;
  readonly restarts: number;
}

function wholeNumber(option: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ConfigError('flink-option', messages.flinkInvalidOption(option, String(v), `a whole number from ${min} to ${max}`));
  return v;
}

export function parseFlinkOptions(o: FlinkRunOptions = {}): FlinkSettings {
  if (typeof o !== 'object' || o === null) throw new ConfigError('flink-option', messages.flinkInvalidOption('', JSON.stringify(o), '{ gateway?, parallelism?, checkpointInterval?, brokers?, restarts? }'));
  if (o.brokers !== undefined && (typeof o.brokers !== 'string' || !/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/.test(o.brokers))) throw new ConfigError('flink-option', messages.flinkInvalidOption('brokers', String(o.brokers), 'host:port pairs separated by commas'));
  return {
    gateway: o.gateway === undefined ? undefined : parseGatewayUrl(o.gateway, 'the flink.gateway option'),
    parallelism: o.parallelism === undefined ? 1 : wholeNumber('parallelism', o.parallelism, 1, 256),
    checkpointIntervalMs: Math.max(100, parseDuration(o.checkpointInterval ?? '2 seconds', 'flink.checkpointInterval')),
    brokers: o.brokers,
    restarts: o.restarts === undefined ? 3 : wholeNumber('restarts', o.restarts, 0, 100),
  };
}

/** The session's configuration: streaming, UTC, the run's parallelism, checkpoints and restarts, and the sources' idle timeout. */
export function sessionProperties(s: FlinkSettings, idleTimeoutMs: number, savepoints: string): Record<string, string> {
  return {
    'execution.runtime-mode': 'streaming',
    'table.local-time-zone': 'UTC',
    'parallelism.default': String(s.parallelism),
    'execution.checkpointing.interval': `${s.checkpointIntervalMs} ms`,
    'execution.checkpointing.savepoint-dir': `file://${savepoints}`,
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': String(s.restarts),
    'restart-strategy.fixed-delay.delay': '1 s',
    'table.exec.source.idle-timeout': `${idleTimeoutMs} ms`,
  };
}
