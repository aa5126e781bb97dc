/**
 * The table of error codes. Every WindowpaneError carries one of these codes, and whether a retry
 * can help is a property of the code, not of the place that throws it: `ErrorCode` is derived from
 * this table, so a code that is not listed here does not compile.
 *
 * `retriable: true` is for broker and network failures that may pass by themselves; `false` means
 * the user must change something first; `'cause'` is for errors that wrap another failure (a sink
 * write): they are retriable when what they wrap is.
 */
export interface ErrorCodeInfo {
  readonly retriable: boolean | 'cause';
}

const fix: ErrorCodeInfo = { retriable: false };
const again: ErrorCodeInfo = { retriable: true };
const asCause: ErrorCodeInfo = { retriable: 'cause' };

export const ERROR_CODES = {
  // ── configuration (src/config) ──
  'config-file-unreadable': fix,
  'config-file-invalid': fix,
  'invalid-brokers': fix,
  'invalid-env': fix,
  'invalid-sasl': fix,
  'ca-unreadable': fix,

  // ── Kafka: the cluster's answers and the network (src/kafka/errors.ts maps kafkajs errors to these) ──
  'broker-unreachable': again,
  'broker-timeout': again,
  'broker-lost': again,
  'broker-busy': again,
  'broker-refused': fix,
  'broker-auth': fix,
  'kafka-failed': fix,
  'no-broker': fix,
  'topic-leaders': again,

  // ── the local broker (src/local-kafka) ──
  'java-missing': fix,
  'java-too-old': fix,
  'maven-missing': fix,
  'maven-failed': again,
  'maven-no-jar': fix,
  'format-failed': fix,
  'spawn-failed': fix,
  'broker-exited': fix,
  'broker-not-ready': again,
  'secure-setup-failed': fix,
  'broker-not-secure': fix,

  // ── kernel (kernel/, `windowpane kernel`) ──
  'kernel-connection': fix,
  'kernel-signature-scheme': fix,
  'interrupted': fix,
  'stdin-not-allowed': fix,
  'input-replaced': fix,
  'no-execution': fix,
  'no-package-root': fix,
  'invalid-type-errors': fix,
  'type-checker-failed': fix,
  'kernel-not-built': fix,
  'kernel-install-target': fix,
  'kernel-name': fix,

  // ── engine: queries and sources (src/engine) ──
  'invalid-duration': fix,
  'invalid-time': fix,
  'invalid-source': fix,
  'invalid-window': fix,
  'invalid-until': fix,
  'schema-needed': fix,
  'history-unreadable': fix,
  'time-column-missing': fix,
  'time-column-type': fix,
  'no-window': fix,
  'bad-window-call': fix,
  'unknown-source': fix,
  'window-time-column': fix,
  'sql-invalid': fix,
  'session-keys': fix,
  'no-window-end': fix,
  'no-window-start': fix,
  'no-offsets': fix,
  'topic-missing': fix,
  'archive-offsets': fix,
  'thrown-value': fix,
  'query-failed': fix,
  'query-closed': fix,
  'run-interrupted': fix,

  // ── engine state bounds ──
  'invalid-memory-limit': fix,
  'invalid-retain-closed-rows': fix,
  'out-of-memory': fix,
  'spill-full': fix,

  // ── provenance and replay from provenance ──
  'provenance-invalid': fix,
  'replay-plan-differs': fix,
  'replay-history-changed': fix,
  'replay-topic-differs': fix,
  'replay-offsets-gone': fix,
  'replay-offsets-missing': fix,

  // ── sinks and stateless pipelines ──
  'invalid-sink': fix,
  'sink-topic-missing': fix,
  'sink-key-column': fix,
  'sink-no-duckdb': fix,
  'sink-dir-not-writable': fix,
  'sink-dir-has-parts': fix,
  'sink-table-name': fix,
  'sink-table-shape': fix,
  'sink-write-failed': asCause,
  'sink-not-readable': fix,
  'pipeline-stateful': fix,
  'pipeline-no-source': fix,
  'pipeline-window-call': fix,

  // ── joins ──
  'join-input': fix,
  'join-on': fix,
  'join-key': fix,
  'join-interval': fix,
  'join-name': fix,
  'enrich-table': fix,
  'enrich-on': fix,
  'enrich-key': fix,
  'enrich-column': fix,
  'enrich-duplicate-key': fix,
  'enrich-table-unreadable': fix,
  'table-missing': fix,

  // ── headless runner (src/runner) and the CLI ──
  'notebook-unreadable': fix,
  'invalid-notebook': fix,
  'invalid-parameter': fix,
  'invalid-option': fix,
  'invalid-port': fix,
  'venv-missing': fix,
  'jupyter-unreachable': again,
  'jupyter-exited': fix,
  'jupyter-not-ready': fix,
  'kernel-unknown': fix,
  'kernel-not-started': fix,
  'kernel-died': fix,
  'kernel-start-failed': fix,
  'html-export-failed': fix,
  'up-step-failed': fix,

  // ── JupyterLab and its Python environment (src/jupyter) ──
  'venv-failed': fix,

  // ── replay of files into Kafka (src/replay) and example data (src/datasets) ──
  'file-missing': fix,
  'file-unreadable': fix,
  'unknown-column': fix,
  'no-time-column': fix,
  'replay-pacing': fix,
  'replay-loop': fix,
  'dataset-write': fix,

  // ── charts (src/chart) ──
  'chart.spec': fix,
  'chart.spec.data': fix,
  'chart.spec.schema': fix,
  'chart.spec.compile': fix,
  'chart.option': fix,
  'chart.source': fix,
  'chart.render': fix,
  'chart.render.png': fix,

  // ── a broken invariant: a bug in windowpane, never the user's input ──
  // ── Flink: the local cluster (src/local-flink) and the SQL Gateway (src/flink) ──
  'pip-missing': fix,
  'pip-failed': again,
  'wheel-unreadable': fix,
  'wheel-incomplete': fix,
  'memory-config': fix,
  'invalid-sizing': fix,
  'process-exited': fix,
  'not-ready': again,
  'invalid-flink-gateway': fix,
  'no-gateway': fix,
  'gateway-unreachable': again,
  'gateway-refused': fix,
  'gateway-reply': fix,
  'statement-failed': fix,
  'statement-timeout': again,
  'invalid-job-id': fix,
  // engine 'flink' (src/engine/flink)
  'flink-unsupported': fix,
  'flink-option': fix,
  'flink-stage': fix,
  'flink-job-failed': fix,
  'flink-result': fix,

  'internal': fix,
} as const satisfies Readonly<Record<string, ErrorCodeInfo>>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.hasOwn(ERROR_CODES, x);
}
