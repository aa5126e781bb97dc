import type { KafkaPaths } from './paths.js';
import { SECURE_MECHANISM, type SecurePaths } from './secure.js';

/** What a secure broker's properties need: its files, the keystores' password and its own login. */
export interface SecureProperties {
  readonly files: SecurePaths;
  readonly storePassword: string;
  readonly username: string;
  readonly password: string;
}

/** The client listener: PLAINTEXT, or SASL_SSL with SCRAM and the local CA's certificate. */
function listeners(port: number, controllerPort: number, secure: SecureProperties | undefined): string[] {
  if (!secure) {
    return [
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ];
  }
  const m = SECURE_MECHANISM.kafka;
  const quote = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return [
    // the controller listener stays PLAINTEXT: it is bound to 127.0.0.1 and only the broker uses it
    `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
    'inter.broker.listener.name=SASL_SSL',
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    `sasl.enabled.mechanisms=${m}`,
    `sasl.mechanism.inter.broker.protocol=${m}`,
    `listener.name.sasl_ssl.${m.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${quote(secure.username)}" password="${quote(secure.password)}";`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${secure.files.keystore}`,
    `ssl.keystore.password=${secure.storePassword}`,
    `ssl.key.password=${secure.storePassword}`,
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${secure.files.truststore}`,
    `ssl.truststore.password=${secure.storePassword}`,
    'ssl.client.auth=none',
    'ssl.enabled.protocols=TLSv1.3,TLSv1.2',
  ];
}

/**
 * server.properties for a single-node KRaft broker+controller on loopback only; with `secure`, the
 * client listener is SASL_SSL (the file then holds secrets and is written with mode 0600).
 */
export function serverProperties(paths: KafkaPaths, port: number, controllerPort: number, secure?: SecureProperties): string {
  return [
    '# Written by `windowpane kafka start` on each start; edits are overwritten.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    ...listeners(port, controllerPort, secure),
    'controller.listener.names=CONTROLLER',
    `log.dirs=${secure ? secure.files.data : paths.data}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    // A development broker: flush on the OS's schedule, keep segments small. Retention by size only
    // (1 GiB per partition): demo and test topics are replayed with their historical event times as
    // record timestamps (the time hand-off seeks by them), which time-based retention would delete.
    'log.retention.ms=-1',
    'log.retention.bytes=1073741824',
    'log.segment.bytes=104857600',
    'num.network.threads=2',
    'num.io.threads=4',
    '',
  ].join('\n');
}

export function log4jProperties(paths: KafkaPaths): string {
  return [
    'status = warn',
    'appender.file.type = RollingFile',
    'appender.file.name = file',
    `appender.file.fileName = ${paths.serverLog}`,
    `appender.file.filePattern = ${paths.serverLog}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    'logger.kafka.name = kafka',
    'logger.kafka.level = info',
    'logger.state.name = state.change.logger',
    'logger.state.level = warn',
    '',
  ].join('\n');
}
