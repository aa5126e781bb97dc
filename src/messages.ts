/**
 * The catalogue of user-facing messages. Each is a function of its context that names the thing at
 * fault and says how to fix it. Code throws with these; tests compare against these.
 */
const useExisting =
  'To use an existing Kafka cluster instead, set WINDOWPANE_KAFKA_BROKERS=host:port (or "kafka": {"brokers": [...]} in windowpane.config.json).';

export const messages = {
  configFileUnreadable: (path: string) => `cannot read the config file ${path}. Check the path in WINDOWPANE_CONFIG, or remove the variable to use defaults.`,
  configFileInvalid: (path: string, why: string) => `invalid config file ${path}: ${why}. It must be JSON like {"kafka": {"brokers": ["127.0.0.1:9092"]}}.`,
  invalidBrokers: (where: string, value: string) => `invalid Kafka broker list in ${where}: ${value}. Expected host:port pairs separated by commas, e.g. 127.0.0.1:9092.`,
  invalidJsonEnv: (name: string, value: string) => `invalid ${name}: ${value}. Expected true, false or a JSON object of client options.`,
  invalidPositiveInt: (name: string, value: string) => `invalid ${name}: ${value}. Expected a positive whole number of milliseconds.`,

  javaMissing: () => `Java 17 or newer is needed to run the local Kafka broker, but \`java\` was not found on PATH. Install it (Debian: apt-get install openjdk-17-jre-headless). ${useExisting}`,
  javaTooOld: (version: string) => `the local Kafka broker needs Java 17 or newer, but \`java -version\` reports ${version}. Install a newer JDK or set JAVA_HOME. ${useExisting}`,
  mavenMissing: () => `Maven is needed once to fetch the Kafka jars, but \`mvn\` was not found on PATH. Install it (Debian: apt-get install maven). ${useExisting}`,
  mavenFailed: (log: string) => `fetching the Kafka jars with Maven failed. Maven said:\n${log}\nCheck that Maven Central is reachable. ${useExisting}`,
  brokerExited: (code: string, logFile: string, tail: string) => `the local Kafka broker exited during start (${code}). Last lines of ${logFile}:\n${tail}`,
  brokerNotReady: (seconds: number, logFile: string) => `the local Kafka broker did not answer within ${seconds}s. See ${logFile}; \`windowpane kafka stop\` cleans up.`,
  brokerNotRunning: () => 'the local Kafka broker is not running. Start it with `windowpane kafka start`, or set WINDOWPANE_KAFKA_BROKERS to use another cluster.',
  brokerUnreachable: (brokers: string, why: string) => `cannot reach Kafka at ${brokers}: ${why}. Is the broker running? Start the local one with \`windowpane kafka start\`, or fix WINDOWPANE_KAFKA_BROKERS.`,
  stopTimeout: (pid: number) => `the local Kafka broker (pid ${pid}) did not stop within the grace period and was killed.`,
} as const;
