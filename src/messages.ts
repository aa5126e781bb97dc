/**
 * The catalogue of user-facing messages. Each is a function of its context that names the thing at
 * fault and says how to fix it. Code throws with these; tests compare against these.
 */
const useExisting =
  'To use an existing Kafka cluster instead, set WINDOWPANE_KAFKA_BROKERS=host:port (or "kafka": {"brokers": [...]} in windowpane.config.json).';

/** A duration for a message: "90 s", "1.5 s". */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}

export const messages = {
  configFileUnreadable: (path: string) => `cannot read the config file ${path}. Check the path in WINDOWPANE_CONFIG, or remove the variable to use defaults.`,
  configFileInvalid: (path: string, why: string) => `invalid config file ${path}: ${why}. It must be JSON like {"kafka": {"brokers": ["127.0.0.1:9092"]}}.`,
  invalidBrokers: (where: string, value: string) => `invalid Kafka broker list in ${where}: ${value}. Expected host:port pairs separated by commas, e.g. 127.0.0.1:9092.`,
  invalidJsonEnv: (name: string, value: string) => `invalid ${name}: ${value}. Expected true, false or a JSON object of client options.`,
  invalidSasl: (where: string, why: string) =>
    `invalid SASL settings in ${where}: ${why}. Set the mechanism (plain, scram-sha-256 or scram-sha-512) with a username and a password: WINDOWPANE_KAFKA_SASL_MECHANISM, WINDOWPANE_KAFKA_USERNAME and WINDOWPANE_KAFKA_PASSWORD, or "kafka": {"sasl": {"mechanism": ..., "username": ..., "password": ...}} in windowpane.config.json.`,
  caUnreadable: (where: string, path: string) => `cannot read the CA certificate ${path} named by ${where}. It must be a PEM file (-----BEGIN CERTIFICATE-----); check the path.`,
  invalidPositiveInt: (name: string, value: string) => `invalid ${name}: ${value}. Expected a positive whole number of milliseconds.`,

  javaMissing: () => `Java 17 or newer is needed to run the local Kafka broker, but \`java\` was not found on PATH. Install it (Debian: apt-get install openjdk-17-jre-headless). ${useExisting}`,
  javaTooOld: (version: string) => `the local Kafka broker needs Java 17 or newer, but \`java -version\` reports ${version}. Install a newer JDK or set JAVA_HOME. ${useExisting}`,
  mavenMissing: () => `Maven is needed once to fetch the Kafka jars, but \`mvn\` was not found on PATH. Install it (Debian: apt-get install maven). ${useExisting}`,
  mavenFailed: (log: string) => `fetching the Kafka jars with Maven failed. Maven said:\n${log}\nCheck that Maven Central is reachable. ${useExisting}`,
  brokerExited: (code: string, logFile: string, tail: string) => `the local Kafka broker exited during start (${code}). Last lines of ${logFile}:\n${tail}`,
  brokerNotReady: (seconds: number, logFile: string) => `the local Kafka broker did not answer within ${seconds}s. See ${logFile}; \`windowpane kafka stop\` cleans up.`,
  brokerNotRunning: () => 'the local Kafka broker is not running. Start it with `windowpane kafka start`, or set WINDOWPANE_KAFKA_BROKERS to use another cluster.',
  brokerUnreachable: (brokers: string, why: string) => `cannot reach Kafka at ${brokers}: ${why}. Is the broker running? Start the local one with \`windowpane kafka start\`, or fix WINDOWPANE_KAFKA_BROKERS.`,
  brokerTimeout: (brokers: string, why: string) => `Kafka at ${brokers} did not answer in time: ${why}. The broker may be busy or still starting; run it again, or raise the request timeout (WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS).`,
  brokerBusy: (brokers: string, why: string) => `Kafka at ${brokers} could not serve the request yet: ${why}. This passes by itself (a leader election, a coordinator moving, a topic just created); run it again, and read the broker's log if it persists.`,
  brokerRefused: (brokers: string, why: string) => `Kafka at ${brokers} refused the request: ${why}. Check the topic's configuration and the client's permissions (ACLs).`,
  brokerAuth: (brokers: string, why: string, who = 'the client') =>
    `Kafka at ${brokers} did not accept the credentials of ${who}: ${why}. Check the password (WINDOWPANE_KAFKA_PASSWORD, or "kafka": {"sasl": {"password": ...}} in windowpane.config.json), the username (WINDOWPANE_KAFKA_USERNAME) and the mechanism (WINDOWPANE_KAFKA_SASL_MECHANISM); for the local secure broker, unset them to use its own credentials.`,
  kafkaFailed: (brokers: string, why: string) => `the Kafka client failed talking to ${brokers}: ${why}.`,
  brokerLost: (brokers: string, topic: string | undefined, timeoutMs: number, why: string) =>
    `Kafka at ${brokers} has not answered for ${seconds(timeoutMs)}${topic ? ` (topic "${topic}")` : ''}, so the client gave up; the last error was: ${why}. Start the broker again (the local one: \`windowpane kafka start\`) and re-run; to wait longer for it, raise the run option brokerTimeout (e.g. { brokerTimeout: '10 minutes' }) or the setting kafka.brokerTimeoutMs (WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS).`,
  brokerDownReading: (source: string, brokers: string, why: string, topic: string, offsets: string, timeoutMs: number) =>
    `source "${source}": Kafka at ${brokers} is unreachable (${why}). Reading topic "${topic}" paused at offsets ${offsets}: it resumes there when the broker is back (nothing lost, nothing read twice), or the run stops with an error after ${seconds(timeoutMs)}.`,
  brokerBackReading: (source: string, brokers: string, downMs: number, topic: string, offsets: string) =>
    `source "${source}": Kafka at ${brokers} answers again after ${seconds(downMs)}; reading topic "${topic}" resumed at offsets ${offsets}.`,
  brokerDownSink: (topic: string, brokers: string, why: string, timeoutMs: number) =>
    `Kafka sink to topic "${topic}": Kafka at ${brokers} is unreachable (${why}). Rows wait and are sent when the broker is back, or the run stops with an error after ${seconds(timeoutMs)}.`,
  brokerBackSink: (topic: string, brokers: string, downMs: number) => `Kafka sink to topic "${topic}": Kafka at ${brokers} answers again after ${seconds(downMs)}; the waiting rows are being sent.`,
  offsetOutOfRange: (topic: string, partition: number, offset: number) =>
    `offset ${offset} of ${topic}/${partition} is no longer in the topic (deleted by retention or deleteRecords while the query read it): the records from there on were not read. Run the query again to start from what the topic holds now.`,
  brokerFormatFailed: (dir: string, output: string) => `formatting the broker storage in ${dir} failed:\n${output}`,
  secureSetupFailed: (step: string, output: string) => `making the local broker's certificates failed at ${step}:\n${output}\nkeytool comes with the JDK: check that JAVA_HOME (or PATH) names a full JDK.`,
  secureCredentialsLost: (credentials: string, data: string) =>
    `the secure broker's credentials ${credentials} are missing, but its storage ${data} was formatted with them, so nobody could log in. Delete ${data} (its topics go with it) and run \`windowpane kafka start --secure\` again.`,
  brokerNotSecure: (bootstrap: string) => `the local Kafka broker already runs on ${bootstrap} without --secure. Stop it first (\`windowpane kafka stop\`), then run \`windowpane kafka start --secure\`.`,
  stopTimeout: (pid: number) => `the local Kafka broker (pid ${pid}) did not stop within the grace period and was killed.`,

  // ── kernel (kernel/protocol, kernel/comm, `windowpane kernel`) ──
  kernelConnectionUnreadable: (path: string) => `cannot read the kernel connection file ${path}. Jupyter passes it as -f <file>; start the kernel from Jupyter, or check the path.`,
  kernelConnectionInvalid: (where: string, what: string) => `invalid kernel connection file ${where}: bad ${what}. It must be the JSON Jupyter writes, with transport, ip, key, signature_scheme and the five *_port numbers.`,
  kernelSignatureScheme: (scheme: string) => `unsupported signature_scheme ${JSON.stringify(scheme)} in the kernel connection file. Use hmac-sha256 (the Jupyter default).`,
  kernelMessageDropped: (channel: string, reason: string) => `windowpane kernel: dropped a message on ${channel}: ${reason}. Check that the client uses the key from the connection file.`,
  kernelInterrupted: () => 'the cell was interrupted (interrupt_request or SIGINT). Variables defined so far are kept.',
  kernelStdinNotAllowed: () => 'this frontend does not accept input (allow_stdin is false), so the cell cannot prompt. Pass the value in code instead, or run the cell in JupyterLab.',
  kernelInputReplaced: () => 'a newer input request replaced this one: the cell asked for input again before this prompt was answered.',
  kernelUsageMissingConnection: () => 'usage: node dist/kernel/main.js -f <connection file>. Jupyter starts the kernel this way; install it with `windowpane kernel install`.',
  kernelNotBuilt: (file: string) => `the kernel entry ${file} does not exist. Build the package first (npm run build), then install the kernelspec again.`,
  kernelInstallTarget: (flags: string) => `give at most one of --user, --sys-prefix and --prefix DIR (got ${flags}).`,
  kernelInstallNoVenv: () => 'cannot install with --sys-prefix: no Python environment found (set VIRTUAL_ENV or WINDOWPANE_VENV, or run scripts/setup-python.sh). Use --user or --prefix DIR instead.',
  kernelNameInvalid: (name: string) => `invalid --name: ${name}. A kernelspec name uses only letters, digits, ".", "_" and "-", e.g. windowpane-dev.`,
  kernelInvalidPort: (value: string) => `invalid --port: ${value}. Expected a TCP port number between 1 and 65535.`,
  packageRootMissing: (from: string) => `windowpane: cannot find the package folder (its package.json) above ${from}. Reinstall windowpane.`,

  // ── engine (src/engine): queries, sources, live ingestion ──
  driftNewField: (source: string, topic: string, field: string, partition: number, offset: number) =>
    `source "${source}": records of topic "${topic}" have a new field "${field}" (first at partition ${partition}, offset ${offset}). The source's schema does not declare it, so the query does not read it; the records are kept as before. To use it, add it to the schema.`,
  driftTypeChanged: (source: string, topic: string, field: string, from: string, to: string, partition: number, offset: number, declared: string | undefined) =>
    `source "${source}": field "${field}" of topic "${topic}" changed from ${from} to ${to} (first at partition ${partition}, offset ${offset}). ${
      declared === undefined
        ? 'Records whose values do not convert to the column\'s type go to the dead-letter table (deadLetters()) with their reason.'
        : /^VARCHAR$/i.test(declared)
          ? `The schema reads it as VARCHAR: the values are kept as text.`
          : `The schema reads it as ${declared}: values that convert are kept, the others go to the dead-letter table (deadLetters()) with their reason; to keep them all, declare it VARCHAR and convert in the query (TRY_CAST).`
    }`,
  invalidDuration: (what: string, value: string) => `invalid ${what}: ${JSON.stringify(value)}. Write a fixed duration such as '5 seconds', '1 hour', INTERVAL '90 minutes' or a number of milliseconds (months and years vary in length and are not allowed).`,
  invalidSourceOption: (source: string, option: string, why: string) => `invalid option "${option}" of source ${source}: ${why}.`,
  sourceWithoutData: (source: string) => `source ${source} has neither history nor live data. Give it history (e.g. { parquet: 'events/*.parquet' }) and/or live ({ topic: 'events' }).`,
  sourceNeedsSchema: (source: string) => `source ${source} reads only from Kafka, so its columns cannot be inferred. Give it a schema, e.g. schema: { ts: 'TIMESTAMP', amount: 'DOUBLE' }.`,
  historyUnreadable: (source: string, what: string, why: string) => `cannot read the history of source ${source} (${what}): ${why}. Check the path or table name; globs like 'data/*.parquet' are allowed.`,
  timeColumnMissing: (source: string, column: string, columns: string) => `source ${source} has no event-time column "${column}" (its columns: ${columns}). Set time: to one of them.`,
  timeColumnType: (source: string, column: string, type: string) => `the event-time column "${column}" of source ${source} is ${type}; it must be a TIMESTAMP (or TIMESTAMPTZ / DATE). Cast it with a history query, e.g. { query: 'SELECT *, to_timestamp(epoch) AS ts FROM ...' }.`,
  noWindowCall: (sql: string) => `the query has no window: put TUMBLE(source, time_column, size), HOP(source, time_column, slide, size), CUMULATE(source, time_column, step, max_size) or SESSION(source PARTITION BY key, time_column, gap) in FROM, e.g.\n  SELECT window_start, count(*) FROM TUMBLE(events, ts, '1 minute') GROUP BY ALL\n(a query without a window is a stateless pipeline: run it with pipeline(sql, { sources })) in:\n${sql}`,
  badWindowCall: (call: string, why: string, sql: string, caret: string) => `bad window call ${call}: ${why}.\n${sql}\n${caret}\nExpected TUMBLE(source, time_column, size) or HOP(source, time_column, slide, size), sizes like '1 hour'.`,
  queryNoWindow: () => 'the query has no window: add .window(tumble(...)) or TUMBLE(...) in FROM.',
  windowSize: (size: string) => `invalid window size ${size}: it must be positive.`,
  hoppingWindow: (size: string, slide: string) => `invalid hopping window (size ${size}, slide ${slide}): both must be positive.`,
  cumulatingWindow: (step: string, maxSize: string) => `invalid cumulating window (step ${step}, max size ${maxSize}): both must be positive.`,
  cumulatingMultiple: (maxSize: string, step: string) => `invalid cumulating window: the max size ${maxSize} must be a whole multiple of the step ${step}.`,
  sessionGap: (gap: string) => `invalid session gap ${gap}: it must be positive.`,
  unknownSource: (name: string, known: string) => `the query reads from "${name}", which is not a source given to it (known: ${known || 'none'}). Pass it in sources: { ${name} }, or fix the name.`,
  windowTimeColumn: (column: string, source: string, declared: string) => `the window uses time column "${column}" but source ${source} declares its event time as "${declared}". Windows are over event time: use ${declared}.`,
  queryClosed: (what: string) => `the query was closed, and its DuckDB tables with it, so ${what} cannot be read any more. Read it before close() (stop() ends a query and keeps its tables).`,
  sqlInvalid: (duckdbMessage: string, sql: string, hint: string) => `the query is not valid DuckDB SQL: ${duckdbMessage}\n${sql}${hint ? `\n${hint}` : ''}`,
  sessionKeysNotGrouped: (keys: string, missing: string, sql: string) => `the session windows are partitioned by ${keys}, so the query must output and group by ${missing} under the same name (each result row belongs to the sessions of one key). Add ${missing} to SELECT and GROUP BY in:\n${sql}`,
  noWindowEndOutput: (kind: string, sql: string) => `${kind} windows differ in length, so the query must output window_end too (and group by it). Add window_end to SELECT and GROUP BY in:\n${sql}`,
  noWindowStartOutput: (sql: string) => `the query must output window_start (and group by it) so each result row belongs to one window. Add window_start to SELECT and GROUP BY in:\n${sql}`,
  archiveOffsets: (source: string, columns: string) => `source ${source} history has no _partition and _offset columns (its columns: ${columns}), so the hand-off cannot resume after it. Add those columns to the archive, or set live.startAt ('end' or 'earliest').`,
  invalidUntil: (why: string) => `invalid bounded-run option "until": ${why}. Use { caughtUp: true }, { durationMs: 60000 }, { finalWindows: 10 } or { offsets: { 0: 1234, 1: 99 } }.`,
  queryStopped: () => 'the query was stopped before it finished.',
  processedUpToJoin: () => 'processedUpTo() needs a query over one source: a joined stream has offsets per input. Wait for query.done, or watch query.stats().',
  thrownValue: (value: string) => `the query failed with ${value}, a thrown value that is not an Error. Throw an Error instead (e.g. throw new Error('...')) so the failure has a message and a stack.`,
  internal: (what: string) => `internal error in windowpane: ${what}. This is a bug, not a problem with your query; please report it with the code that led to it.`,

  // ── engine state bounds (src/engine/query/resources.ts, hub retention): memory limits, spilling ──
  invalidMemoryLimit: (value: string) => `invalid memoryLimit ${JSON.stringify(value)}. Write a size such as '512MB', '1GB' or '2.5GiB'.`,
  spillFull: (folder: string | undefined, why: string, limit: string | undefined) =>
    `the query's spill folder ${folder ?? "(the temp_directory of the given DuckDB instance)"} is full: DuckDB could not write what does not fit in memory${limit ? ` (memoryLimit '${limit}')` : ''} there (${why}). Free space in that folder, point tempDirectory at a folder with more room (e.g. tempDirectory: '/var/tmp/windowpane'), or raise memoryLimit so that less is spilled.`,
  outOfMemory: (limit: string | undefined, why: string) =>
    `the query ran out of memory in DuckDB (${why}) under ${limit === undefined ? "DuckDB's default limit (80% of RAM)" : `memoryLimit '${limit}'`}. Raise memoryLimit (e.g. memoryLimit: '4GB'), give DuckDB a spill folder with room (tempDirectory), or keep fewer rows in the query: write the results to a sink and keep fewer closed rows (retainClosedRows).`,
  runInterrupted: () => 'the run was stopped before it started: its signal aborted (in a notebook: the cell was interrupted) while it was being set up. Run the cell again.',
  queryFailed: (duckdbMessage: string, hint: string) => `the query failed while running in DuckDB: ${duckdbMessage}\n${hint}`,
  invalidRetainClosedRows: (value: string) => `invalid retainClosedRows ${value}. Expected a whole number of rows (0 or more) or Infinity to keep every closed row.`,

  // ── headless runner (src/runner) and replay (src/replay) ──
  notebookUnreadable: (path: string, why: string) => `cannot read the notebook ${path}: ${why}. Check the path.`,
  notebookInvalid: (path: string, why: string) => `${path} is not a notebook the runner can execute: ${why}. Open and save it in JupyterLab to convert it to nbformat 4.`,
  invalidParameter: (arg: string) => `invalid parameter ${JSON.stringify(arg)}. Write -p name=value with name a valid identifier, e.g. -p limit=100 -p carrier=AA -p opts='{"a":1}'.`,
  invalidRunOption: (option: string, value: string, expected: string) => `invalid ${option}: ${JSON.stringify(value)}. Expected ${expected}.`,
  runUntilInvalid: (value: string) => `invalid --until ${JSON.stringify(value)}. Give a duration such as 30s, 5m, '2 minutes', or a number of final windows such as 10windows.`,
  venvMissing: (jupyter: string) => `the Jupyter server program ${jupyter} was not found. Set up the project's Python environment with \`bash scripts/setup-python.sh\`, or pass --url and --token of a running Jupyter Server.`,
  serverExited: (app: string, code: string, tail: string) => `\`jupyter ${app}\` exited during start (${code}). Its last lines:\n${tail}`,
  serverNotReady: (app: string, url: string | undefined, seconds: number, tail: string) => `\`jupyter ${app}\` did not answer${url ? ` on ${url}` : ''} within ${seconds}s. Its last lines:\n${tail}`,
  serverUnreachable: (url: string, why: string) => `cannot reach the Jupyter server at ${url}: ${why}. Check --url and --token, or leave them out to let the runner start its own server.`,
  kernelUnknown: (name: string, known: string) => `the Jupyter server has no kernel named "${name}" (it has: ${known}). Pass --kernel with one of those, or install the kernel (e.g. \`windowpane kernel install\`).`,
  kernelNotStarted: (name: string, seconds: number) => `the ${name} kernel did not answer within ${seconds}s of starting. Check that it starts in JupyterLab, or raise --startup-timeout.`,
  kernelStartFailed: (name: string, why: string, log: string) => `the ${name} kernel stopped while starting (${why}). ${log ? `The Jupyter server's last lines:\n${log}\n` : ''}Check that the kernel starts in JupyterLab; for windowpane, run \`npm run build\` first.`,
  cellFailed: (cell: number, ename: string, evalue: string) => `cell ${cell} raised ${ename}: ${evalue}`,
  cellTimedOut: (cell: number, seconds: number) => `cell ${cell} did not finish within ${seconds}s (--cell-timeout) and was interrupted. Make the cell faster, bound its live queries (--until), or raise --cell-timeout.`,
  notebookTimedOut: (cell: number, seconds: number) => `the notebook did not finish within ${seconds}s (--timeout); cell ${cell} was interrupted. Raise --timeout or bound the live queries with --until.`,
  kernelDied: (cell: number, why: string) => `the kernel died while cell ${cell} was running (${why}). The cell may have crashed the process (out of memory, a native crash, an exit call); the notebook was saved up to that cell.`,
  runAborted: (cell: number) => `the run was stopped (interrupt) while cell ${cell} was running; the notebook was saved up to that cell.`,
  notebookMissing: (path: string, cwd: string) => `there is no notebook at ${path}${path.startsWith('/') ? '' : ` (a relative path resolves from the working folder, ${cwd})`}. Check the path.`,
  htmlExportFailed: (file: string, tail: string) => `exporting HTML to ${file} with nbconvert failed:\n${tail}`,
  upStepFailed: (what: string, exit: string) => `${what} failed (exit ${exit}); see the messages above.`,
  kernelStopped: (name: string, why: string) => `the ${name} kernel stopped while starting: ${why}`,
  labVenvFailed: (dir: string) => `could not set up the Python environment for Jupyter in ${dir}. Run \`bash scripts/setup-python.sh\` to see why (Python 3.9+ with venv and pip is needed).`,
  replayFileMissing: (file: string) => `no file matches ${file}. Check the path (globs like 'data/*.parquet' are allowed).`,
  replayFileUnreadable: (file: string, why: string) => `DuckDB cannot read ${file}: ${why}. Replay reads Parquet, CSV and JSON/NDJSON files (by extension), or anything DuckDB reads with SELECT * FROM '<file>'.`,
  replayNoTimeColumn: (file: string, columns: string) => `${file} has no TIMESTAMP or DATE column to order by (its columns: ${columns}). Name the event-time column with --time-column.`,
  replayUnknownColumn: (file: string, what: string, column: string, columns: string) => `${file} has no ${what} column "${column}" (its columns: ${columns}).`,
  replayTopicMissing: (topic: string) => `Kafka topic "${topic}" does not exist. Pass --create (with --partitions N) to create it, or fix the name.`,
  liveTopicMissing: (topic: string, source: string) => `Kafka topic "${topic}" (live part of source ${source}) does not exist. Create it with \`windowpane kafka topic create ${topic}\` (add --partitions N for more than one), or fill it from a file with \`windowpane replay FILE --topic ${topic} --create\`; or fix the name.`,
  topicNotFound: (topic: string) => `Kafka topic "${topic}" does not exist. Create it with \`windowpane kafka topic create ${topic}\` (add --partitions N for more than one), or fix the name.`,
  topicCreateUsage: () => 'usage: windowpane kafka topic create NAME [--partitions N] [--compact]. NAME is the topic; --partitions defaults to 1; --compact sets cleanup.policy=compact (for a final-mode sink).',
  topicLeadersTimeout: (topic: string, ms: number) => `Kafka topic "${topic}" was created, but its partitions had no leader after ${ms / 1000} s. The broker is overloaded or unhealthy: check \`windowpane kafka status\` (or the cluster's logs) and try again.`,
  topicExists: (topic: string, partitions: number) => `Kafka topic "${topic}" already exists (${partitions} partition${partitions === 1 ? '' : 's'}); nothing to do. Delete it first with \`windowpane kafka topic delete ${topic}\` to start empty.`,
  relativePathNote: (path: string, cwd: string) => (path.startsWith('/') || /^[a-z]+:\/\//i.test(path) ? '' : ` The relative path ${path} resolves from the working folder, ${cwd}.`),
  replayLoopUnpaced: () => 'a looping replay needs a pace: give --speedup X or --rate N/s (as fast as possible, a loop would never let go of the broker).',
  replayPacing: () => 'give at most one of --speedup and --rate.',

  // ── kernel session (kernel/session, kernel/display): compiling and running cells ──
  sessionInputOutsideCell: () => 'input() and password() only work while a cell runs: call them from a cell (with await), not from background work after the kernel restarted.',
  sessionTypeErrors: (count: number) => `the cell has ${count} type error${count === 1 ? '' : 's'} and the kernel runs with typeErrors: 'error', so it did not run. Fix the types, or start the kernel with WINDOWPANE_TYPE_ERRORS=warn.`,
  sessionTypeErrorsEnv: (value: string) => `invalid WINDOWPANE_TYPE_ERRORS: ${value}. Expected warn (show type errors, run the cell), error (do not run a cell with type errors) or ignore.`,
  sessionTypeCheckerFailed: (reason: string) => `the type checker stopped (${reason}); cells still run, without type checks, and completion answers from the live objects. Restart the kernel to check types again.`,
  sessionTypeCheckerRequest: (reason: string) => `the type checker could not answer: ${reason}`,
  sessionNoPackageRoot: (from: string) => `cannot find the windowpane package.json above ${from}; the kernel needs it to find its own types and packages. Reinstall windowpane.`,

  // ── charts (src/chart): chart(), live tables, static snapshots ──
  chartSpecNotObject: (got: string) => `chart(source, spec): the spec must be a Vega-Lite spec object, got ${got}. Write e.g. { mark: 'bar', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } } }.`,
  chartSpecHasData: (data: string) => `the chart spec has its own data (${data}); remove "data": chart(source, spec) draws the source's rows, named "windowpane".`,
  chartSpecSchema: (schema: string) => `unsupported chart $schema ${schema}: chart() takes Vega-Lite v5 or v6 specs. Use https://vega.github.io/schema/vega-lite/v6.json (or v5.json), or leave $schema out.`,
  chartSpecInvalid: (why: string) => `Vega-Lite cannot compile the chart spec: ${why}. Check the mark and the encoding channels; the fields available are the query's output columns plus window_start, window_end, kind, key and late.`,
  chartOptionInvalid: (option: string, value: string, expected: string) => `invalid chart option ${option}: ${value}. Expected ${expected}.`,
  chartSourceInvalid: (got: string) => `chart(source, spec): cannot draw ${got}. Pass a query (or its changelog: an async iterable of changelog rows or batches) or plain data (an array or iterable of records).`,
  chartRenderFailed: (why: string) => `the chart could not be rendered to a static image: ${why}. The live chart is unaffected; check the spec's marks and scales.`,

  // ── example data and demo streams (src/datasets, the demo stream of `windowpane up`) ──
  datasetWriteFailed: (name: string, dir: string, why: string) => `cannot write the ${name} data set under ${dir}: ${why}. Check that the folder is writable, or point WINDOWPANE_DATA_DIR at another one.`,
  demoStreamFailed: (topic: string, why: string) => `the demo stream into Kafka topic "${topic}" stopped: ${why}. JupyterLab keeps running; restart \`windowpane up\` to replay it again.`,

  // ── time hand-off, provenance and replay from provenance (src/engine/query/handoff.ts, src/engine/provenance) ──
  invalidTime: (what: string, value: string) => `invalid ${what}: ${value}. Write epoch milliseconds, a Date, or an ISO-8601 time such as '2024-01-01T12:00:00Z' (UTC when no zone is given).`,
  handoffGap: (source: string, topic: string, partition: number, first: string, boundary: string, gap: string) =>
    `hand-off gap in source ${source}: the first live event of topic "${topic}" partition ${partition} is at ${first}, ${gap} after the end of history (${boundary}). Events in between are in neither; extend the history, or set live.handoff.maxGap if the stream is that sparse.`,
  handoffRetentionGap: (source: string, topic: string, partition: number, low: number, first: string, boundary: string) =>
    `hand-off gap in source ${source}: topic "${topic}" partition ${partition} no longer holds records before offset ${low} (deleted by retention) and its earliest record (${first}) is after the end of history (${boundary}); events in between are lost. Extend the history, or raise the topic's retention.ms.`,
  handoffLost: (source: string, topic: string, partition: number, from: number, to: number) =>
    `hand-off gap in source ${source}: the history ends before offset ${from} of topic "${topic}" partition ${partition}, but the topic no longer holds records before offset ${to} (deleted by retention): ${to - from} records are lost. Extend the archive, or raise the topic's retention.ms.`,
  provenanceInvalid: (why: string) => `invalid provenance: ${why}. Pass the object query.provenance() returned (or the "windowpane.provenance" metadata of a notebook output) unchanged.`,
  replayPlanDiffers: (recorded: string, given: string) => `the provenance was recorded for another query:\n  recorded: ${recorded}\n  given:    ${given}\nRun the recorded query (rerun(provenance) uses it), or record a new provenance for this one.`,
  replayFileChanged: (path: string, what: string) => `history file ${path} changed since the run was recorded: ${what}. Replay needs the same bytes; restore the file, or run without replay to record a new provenance.`,
  replayFilesDiffer: (source: string, pattern: string, what: string) => `the history files of source ${source} (${pattern}) are not the recorded ones: ${what}. Restore the recorded files, or run without replay.`,
  replayRelationChanged: (source: string, what: string, recorded: string, now: string) => `the history ${what} of source ${source} changed since the run was recorded (recorded ${recorded}, now ${now}). Replay needs the same rows; restore them, or run without replay.`,
  replayTopicDiffers: (recorded: string, now: string) => `the provenance reads Kafka topic "${recorded}" but the query's source reads "${now}". Replay the recorded source, or fix the topic name.`,
  replayOffsetsGone: (topic: string, partition: number, from: number, low: number) => `cannot replay topic "${topic}" partition ${partition} from offset ${from}: the topic now starts at offset ${low} (older records were deleted by retention). The recorded data is no longer complete.`,
  replayOffsetsMissing: (topic: string, partition: number, to: number, high: number) => `cannot replay topic "${topic}" partition ${partition} up to offset ${to}: it only has records up to ${high}. Was the topic deleted and recreated? Replay needs the recorded records.`,
  // ── sinks (src/engine/sink) and stateless pipelines (src/engine/pipeline) ──
  invalidSinkOption: (sink: string, option: string, why: string) => `invalid option "${option}" of ${sink}: ${why}.`,
  sinkTopicNotFound: (topic: string) => `the sink's Kafka topic "${topic}" does not exist. Create it first with \`windowpane kafka topic create ${topic}\` (add --compact for a 'final' sink, which upserts rows by key; --partitions N for more than one), or fix the name.`,
  sinkKeyColumn: (column: string, columns: string) => `the Kafka sink's key column "${column}" is not an output column (the columns are: ${columns}). Name one of them in key:, or leave key out to use the source record's key (_key).`,
  sinkDirNotWritable: (dir: string, why: string) => `the Parquet sink cannot write to the folder ${dir}: ${why}. Choose a folder you can write to (it is created if missing).`,
  sinkDirHasParts: (dir: string, count: number) => `the folder ${dir} already holds ${count} part file${count === 1 ? '' : 's'} (part-*.parquet) from an earlier run. Pass overwrite: true to replace them, or write to another folder.`,
  sinkTableName: (name: string) => `invalid sink table name ${JSON.stringify(name)}. Use a name like results or analytics.results (letters, digits and _).`,
  sinkTableShape: (table: string, has: string, wants: string) => `the table ${table} already exists with other columns (${has}) than the sink writes (${wants}). Drop or rename it, or give the sink another table.`,
  sinkWriteFailed: (sink: string, why: string) => `the ${sink} stopped writing: ${why}. Rows up to the failure were written; fix the cause and run the query again (same keys give the same final state).`,
  sinkNotReadable: (topic: string) => `a Kafka sink cannot be read back with SQL (it wrote to topic "${topic}"). Read the topic with a source, e.g. source({ name, time, history: { kafkaBacklog: true }, live: { topic: '${topic}' }, schema }).`,
  pipelineStateful: (what: string) => `this query has ${what}, so it is not a stateless pipeline. Run it with run() or sql(); pipelines take only filter, derive and select (or SQL without a window call).`,
  pipelineUntil: (kind: string) => `a pipeline has no windows, so until: { ${kind} } cannot end it. Use 'caughtUp', { offsets: {...} } or { duration: '30 seconds' }.`,
  pipelineNoSource: (sql: string, known: string) => `the pipeline's SQL reads from none of its sources (known: ${known || 'none'}). Name one in FROM, e.g. SELECT * FROM ${known.split(', ')[0] || 'events'} WHERE ..., in:\n${sql}`,
  pipelineWindowCall: (sql: string) => `the SQL has a window call, so it is a windowed query, not a pipeline: run it with sql(text, { sources }) instead of pipeline(). In:\n${sql}`,

  // ── joins (src/engine/join): interval joins of two streams, stream–table enrichment ──
  joinInput: (which: string, what: string) => `input ${which} of intervalJoin has ${what}; an input is a source or from(source) with filter, derive and select only. Put windows and aggregates on the joined stream: from(intervalJoin(a, b, {...})).window(...).`,
  joinInputInvalid: (which: string, source: string, why: string) => `input ${which} of intervalJoin (source ${source}) is not valid over its columns: ${why}. Check its filter, derive and select expressions.`,
  joinInputTime: (which: string, source: string, time: string) => `input ${which} of intervalJoin (source ${source}) drops its event-time column "${time}"; keep it in select(): the join matches on event time.`,
  joinOnInvalid: (on: string) => `invalid intervalJoin option "on": ${on}. Give a column both inputs have ('card'), several (['k1', 'k2']), or a SQL condition over a and b ('a.x = b.y').`,
  joinKeyMissing: (key: string, which: string, source: string, columns: string) => `the join key "${key}" is not a column of input ${which} (source ${source}; its columns: ${columns}). Fix "on", or write a condition such as 'a.${key} = b.other_name'.`,
  joinConditionInvalid: (on: string, why: string) => `the join condition ${on} is not valid: ${why}. Refer to the inputs as a and b, e.g. 'a.card = b.card'.`,
  joinInterval: (lower: string, upper: string) => `invalid interval join bounds: lower (${lower}) is after upper (${upper}). b.time must lie in [a.time + lower, a.time + upper]: give lower <= upper, e.g. lower: '0s', upper: '10 minutes' (lower may be negative, e.g. '-5 minutes').`,
  joinUntilOffsets: (source: string) => `until: { offsets } names offsets of one topic, but ${source} joins two inputs with their own topics. Use 'caughtUp', { duration } or { finalWindows } for a join.`,
  enrichTableInvalid: (input: string, why: string) => `invalid enrichment table ${input}: ${why}. Give a table name of the query's DuckDB instance ('profiles') or a file ({ parquet: 'profiles.parquet' }).`,
  enrichOnInvalid: (on: string) => `invalid enrich option "on": ${on}. Name the key column(s) the stream and the table share: 'card' or ['k1', 'k2'].`,
  tableMissing: (table: string, sql: string) => `the query joins table "${table}", which is not in the query's DuckDB instance:\n${sql}\nCreate it there (e.g. CREATE TABLE ${table} AS SELECT * FROM 'file.parquet') and pass that instance as run option { duckdb }, or read a file directly with read_parquet('file.parquet').`,
  enrichTableUnreadable: (what: string, why: string) => `cannot read the enrichment table (${what}): ${why}. Check the table name (it must be in the DuckDB instance given as { duckdb }) or the file path.`,
  enrichKeyMissing: (key: string, where: string, columns: string) => `the enrichment key "${key}" is not a column of ${where} (its columns: ${columns}). Name a key both have in "on", or rename the column with derive() first.`,
  enrichDuplicateKey: (what: string, key: string) => `the enrichment table (${what}) has more than one row for key ${key}, so a stream row would be counted once per match. Make the key unique, e.g. { query: 'SELECT * FROM profiles QUALIFY row_number() OVER (PARTITION BY card ORDER BY updated DESC) = 1' }.`,
  enrichColumnClash: (column: string, what: string) => `the enrichment table (${what}) adds column "${column}", which the stream already has. Pick or rename the columns it adds: columns: { profile_${column}: '${column}' }.`,

  // ── Flink (src/local-flink: `windowpane flink`; src/flink: the SQL Gateway client) ──
  flinkJavaMissing: () => `Java 17 or newer is needed to run the local Flink cluster, but \`java\` was not found on PATH. Install it (Debian: apt-get install openjdk-17-jre-headless), or set WINDOWPANE_FLINK_GATEWAY to the SQL Gateway of an existing cluster.`,
  flinkJavaTooOld: (version: string) => `the local Flink cluster needs Java 17 or newer, but \`java -version\` reports ${version}. Install a newer JDK or set JAVA_HOME, or set WINDOWPANE_FLINK_GATEWAY to the SQL Gateway of an existing cluster.`,
  flinkPipMissing: () => 'pip is needed once to fetch Flink (the apache-flink-libraries wheel from PyPI), but neither `python3 -m pip` nor the project environment\'s pip works. Install it (Debian: apt-get install python3-pip), or set WINDOWPANE_FLINK_GATEWAY to the SQL Gateway of an existing cluster.',
  flinkPipFailed: (version: string, log: string) => `fetching Flink ${version} (the apache-flink-libraries wheel) with pip failed. pip said:\n${log}\nCheck that PyPI is reachable, then run \`windowpane flink start\` again.`,
  flinkWheelIncomplete: (wheel: string, missing: string) => `the wheel ${wheel} lacks ${missing}, so it is not a Flink distribution this version of Windowpane can run. Delete it and run \`windowpane flink start\` again.`,
  flinkMavenMissing: () => 'Maven is needed once to fetch the Flink connectors and the SQL Gateway jar, but `mvn` was not found on PATH. Install it (Debian: apt-get install maven), or set WINDOWPANE_FLINK_GATEWAY to the SQL Gateway of an existing cluster.',
  flinkMavenFailed: (log: string) => `fetching the Flink connectors and the SQL Gateway jar with Maven failed. Maven said:\n${log}\nCheck that Maven Central is reachable, then run \`windowpane flink start\` again.`,
  flinkInvalidTaskManagers: (value: string) => `invalid number of TaskManagers: ${value}. Give a whole number from 1 to 16 (--task-managers N or WINDOWPANE_FLINK_TASK_MANAGERS); each has one slot.`,
  flinkMemoryConfig: (role: string, file: string, log: string) => `Flink could not size the ${role}'s memory from ${file}:\n${log}\nRaise WINDOWPANE_FLINK_JM_MEMORY / WINDOWPANE_FLINK_TM_MEMORY (e.g. 1g), then run \`windowpane flink start\` again.`,
  flinkProcessExited: (name: string, code: string, logFile: string, tail: string) => `the Flink ${name} exited during start (${code}); nothing is left running. Last lines of ${logFile}:\n${tail}`,
  flinkNotReady: (seconds: number, what: string, logFile: string) => `the local Flink cluster did not get ready within ${seconds}s (${what}); it was stopped. See ${logFile}.`,
  flinkInvalidGateway: (where: string, value: string) => `invalid Flink SQL Gateway URL in ${where}: ${JSON.stringify(value)}. Expected http(s)://host:port, e.g. http://127.0.0.1:8083.`,
  flinkGatewayUnreachable: (url: string, why: string) => `cannot reach the Flink SQL Gateway at ${url}: ${why}. Start the local cluster with \`windowpane flink start\`, or set WINDOWPANE_FLINK_GATEWAY (config key "flink.gateway") to a running gateway.`,
  flinkGatewayNotRunning: () => 'the local Flink cluster is not running and no gateway is configured. Start it with `windowpane flink start`, or set WINDOWPANE_FLINK_GATEWAY (config key "flink.gateway") to the SQL Gateway of an existing cluster.',
  flinkGatewayRefused: (what: string, url: string, status: number, detail: string) => `the Flink SQL Gateway at ${url} refused to ${what} (HTTP ${status}): ${detail}`,
  flinkGatewayReply: (what: string, url: string, why: string) => `the Flink SQL Gateway at ${url} sent an unexpected reply to ${what}: ${why}. Is ${url} a Flink SQL Gateway (version 2.x)?`,
  flinkStatementFailed: (statement: string, detail: string) => `Flink could not run the statement: ${detail}\nin:\n${statement}`,
  flinkOperationTimeout: (seconds: number, statement: string) => `Flink gave no result within ${seconds}s for:\n${statement}\nThe operation was cancelled. Check the job in the Flink web UI, or raise the timeout.`,
  flinkJobIdInvalid: (id: string) => `invalid Flink job id ${JSON.stringify(id)}: a job id is 32 hex digits, as the Flink web UI and explain() show it.`,
  // ── engine 'flink' (src/engine/flink): what does not translate, the job, its results ──
  flinkUnsupported: (feature: string, sql: string, hint: string) => `${feature} has no counterpart on engine 'flink', so the query was not submitted:\n${sql}\n${hint ? `${hint} ` : ''}Or run it on the local engine (leave out engine: 'flink').`,
  flinkHintSyntax: (token: string) =>
    ({
      ':': 'Write CAST(x AS type) instead of x::type.',
      '/': 'Flink has no integer division operator: write CAST(FLOOR(a / b) AS BIGINT).',
      group: 'Name the grouping columns: GROUP BY window_start, window_end, key, ...',
      order: 'A streaming result is keyed by window and group, not ordered: remove ORDER BY (snapshot() and charts order by window anyway).',
      '*': 'Name the columns you want instead of * EXCLUDE / REPLACE.',
      qualify: 'Filter the aggregated rows with HAVING instead.',
      limit: 'A streaming result is not limited: filter with WHERE or HAVING instead.',
    })[token] ?? '',
  flinkHintUse: (instead: string) => `Use ${instead}.`,
  flinkHintFunction: () => 'It is DuckDB\'s, and Flink has no function with the same result.',
  flinkHintOver: () => 'Window functions (OVER) do not run inside Flink\'s window aggregation.',
  flinkHintTable: () => 'In SQL a table joins after the window, where Flink keeps no event time. Join it before the window with from(source).enrich(table, { on }), which Flink runs as an event-time temporal join.',
  flinkColumnType: (column: string, type: string, where: string) => `column ${column} of ${where} is ${type}, which engine 'flink' cannot pass to Flink. Cast it to a number, text or timestamp in the history (or schema), or run the query on the local engine.`,
  flinkRunOption: (option: string, why: string) => `${option} is not available on engine 'flink': ${why} Or run the query on the local engine (leave out engine: 'flink').`,
  flinkInvalidOption: (option: string, value: string, expected: string) => `invalid flink.${option}: ${JSON.stringify(value)}. Expected ${expected}.`,
  flinkUpdatingResult: (sql: string, modes: string) => `Flink would run this query as an updating result (changelog ${modes}), not as a window aggregation that emits each window once when it closes, so it was not submitted:\n${sql}\nGroup by window_start and window_end of the window call, with no join after it; or run it on the local engine (leave out engine: 'flink').`,
  flinkStageDir: (dir: string, why: string) => `cannot write the files Flink reads into ${dir}: ${why}. Set WINDOWPANE_FLINK_STAGE_DIR to a folder the Flink cluster can read (for a remote cluster, a shared mount).`,
  flinkKafkaSecurity: () => 'engine \'flink\' does not pass Kafka credentials (SASL or TLS) to the cluster. Run the query on the local engine, or read a broker without them.',
  flinkJobFailed: (jobId: string, detail: string, where: string) => `the Flink job ${jobId} failed: ${detail}\nIts log and exceptions: ${where}`,
  flinkUnexpectedRow: (kind: string) => `Flink sent a ${kind} row, but a window aggregation only inserts rows; the result cannot be kept in the query's table. This is a bug in the translation; run the query on the local engine.`,
  flinkNoProcessedUpTo: () => 'processedUpTo() waits for offsets the query has read, which engine \'flink\' does not report record by record. Wait for query.done (a bounded run), or watch query.stats().',
} as const;
