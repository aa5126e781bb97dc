/**
 * What `windowpane kafka start --secure` makes once per state folder and then reuses: a local
 * certificate authority, the broker's key and certificate signed by it (for 127.0.0.1 and
 * localhost), and a SCRAM user with a random password. Made with the JDK's keytool, which the broker
 * needs anyway; keystore passwords reach keytool through its environment, never its command line.
 *
 * Secrets (the password, the keystores, the CA's key) live in files of mode 0600 under
 * `<state>/kafka/secure/`; only the CA certificate (ca.pem) is public.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { saslOptions, type KafkaSettings } from '../config/settings.js';
import { BrokerError } from '../errors.js';
import { messages } from '../messages.js';
import type { KafkaPaths } from './paths.js';

/** The SASL mechanism of the local secure broker, as Kafka names it and as kafkajs does. */
export const SECURE_MECHANISM = { kafka: 'SCRAM-SHA-512', client: 'scram-sha-512' } as const;
export const SECURE_USER = 'windowpane';

/** The client's side: what credentials.json holds. */
export interface LocalCredentials {
  readonly mechanism: typeof SECURE_MECHANISM.client;
  readonly username: string;
  readonly password: string;
  /** The CA certificate (PEM) the client trusts. */
  readonly ca: string;
}

export interface SecureMaterial {
  readonly credentials: LocalCredentials;
  /** The password of the broker's keystores (PKCS12). */
  readonly storePassword: string;
}

/** The files of the secure broker under the Kafka state folder. */
export function securePaths(paths: KafkaPaths) {
  const dir = join(paths.root, 'secure');
  return {
    dir,
    /** The secure broker's own log dirs: its users are formatted into them. */
    data: join(dir, 'data'),
    credentials: join(dir, 'credentials.json'),
    storePassword: join(dir, 'store-password'),
    caStore: join(dir, 'ca.p12'),
    ca: join(dir, 'ca.pem'),
    keystore: join(dir, 'broker.p12'),
    truststore: join(dir, 'truststore.p12'),
    csr: join(dir, 'broker.csr'),
    cert: join(dir, 'broker.pem'),
  } as const;
}

export type SecurePaths = ReturnType<typeof securePaths>;

/** Writes a file only its owner may read, atomically (never readable by others, not even briefly). */
export function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** keytool from JAVA_HOME, else from PATH; the store password goes through the environment. */
function keytool(args: readonly string[], storePassword: string): void {
  const bin = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/keytool` : 'keytool';
  const run = spawnSync(bin, [...args, '-noprompt'], { encoding: 'utf8', env: { ...process.env, WINDOWPANE_STORE_PASS: storePassword } });
  if (run.error || run.status !== 0) {
    throw new BrokerError('secure-setup-failed', messages.secureSetupFailed(`keytool ${args[0] ?? ''}`, (run.error?.message ?? `${run.stdout}${run.stderr}`).trim()));
  }
}

/** The CA, the broker's signed key pair, and the truststore, made with keytool. */
function makeCertificates(s: SecurePaths, storePassword: string): void {
  for (const f of [s.caStore, s.keystore, s.truststore, s.csr, s.cert, s.ca]) rmSync(f, { force: true });
  const store = (file: string) => ['-keystore', file, '-storetype', 'PKCS12', '-storepass:env', 'WINDOWPANE_STORE_PASS'];
  const ec = ['-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', '3650'];
  // 1. A CA of our own, valid for ten years; its key never leaves ca.p12.
  keytool(['-genkeypair', '-alias', 'ca', ...ec, '-dname', 'CN=Windowpane local CA', '-ext', 'bc:c', ...store(s.caStore)], storePassword);
  keytool(['-exportcert', '-alias', 'ca', '-rfc', '-file', s.ca, ...store(s.caStore)], storePassword);
  // 2. The broker's key pair, its certificate signed by the CA for the loopback names.
  keytool(['-genkeypair', '-alias', 'broker', ...ec, '-dname', 'CN=127.0.0.1', ...store(s.keystore)], storePassword);
  keytool(['-certreq', '-alias', 'broker', '-file', s.csr, ...store(s.keystore)], storePassword);
  keytool(['-gencert', '-alias', 'ca', '-infile', s.csr, '-outfile', s.cert, '-rfc', '-validity', '3650', '-ext', 'san=ip:127.0.0.1,dns:localhost', '-ext', 'eku=serverAuth', ...store(s.caStore)], storePassword);
  keytool(['-importcert', '-alias', 'ca', '-file', s.ca, ...store(s.keystore)], storePassword);
  keytool(['-importcert', '-alias', 'broker', '-file', s.cert, ...store(s.keystore)], storePassword);
  // 3. The broker's truststore: the CA alone.
  keytool(['-importcert', '-alias', 'ca', '-file', s.ca, ...store(s.truststore)], storePassword);
  rmSync(s.csr, { force: true });
  for (const f of [s.caStore, s.keystore, s.truststore]) chmodSync(f, 0o600);
}

function readCredentials(s: SecurePaths): LocalCredentials | undefined {
  try {
    const c = JSON.parse(readFileSync(s.credentials, 'utf8')) as Partial<Omit<LocalCredentials, 'ca'>>;
    if (typeof c.username !== 'string' || typeof c.password !== 'string' || c.mechanism !== SECURE_MECHANISM.client) return undefined;
    return { mechanism: c.mechanism, username: c.username, password: c.password, ca: readFileSync(s.ca, 'utf8') };
  } catch {
    return undefined;
  }
}

/**
 * The secure broker's certificates and user, made on the first secure start and reused after. The
 * user's credentials are formatted into the broker's storage, so they are only made together with
 * a fresh storage folder.
 */
export function ensureSecureMaterial(paths: KafkaPaths, log: (line: string) => void): SecureMaterial {
  const s = securePaths(paths);
  const credentials = readCredentials(s);
  const storeOk = existsSync(s.storePassword) && existsSync(s.keystore) && existsSync(s.truststore);
  if (credentials && storeOk) return { credentials, storePassword: readFileSync(s.storePassword, 'utf8').trim() };
  if (existsSync(join(s.data, 'meta.properties'))) {
    // storage formatted with a user whose password is gone: nobody could log in
    throw new BrokerError('secure-setup-failed', messages.secureCredentialsLost(s.credentials, s.data));
  }
  log(`making a local CA, the broker's certificate and a SCRAM user in ${s.dir} (once)`);
  mkdirSync(s.dir, { recursive: true, mode: 0o700 });
  chmodSync(s.dir, 0o700);
  const storePassword = randomBytes(24).toString('base64url');
  writePrivate(s.storePassword, storePassword + '\n');
  makeCertificates(s, storePassword);
  const password = randomBytes(24).toString('base64url');
  const stored = { mechanism: SECURE_MECHANISM.client, username: SECURE_USER, password, caFile: s.ca };
  writePrivate(s.credentials, JSON.stringify(stored, null, 2) + '\n');
  return { credentials: { mechanism: stored.mechanism, username: SECURE_USER, password, ca: readFileSync(s.ca, 'utf8') }, storePassword };
}

/** The local secure broker's credentials, if it has some (for the clients' local defaults). */
export function localCredentials(paths: KafkaPaths): LocalCredentials | undefined {
  return readCredentials(securePaths(paths));
}

/**
 * The ssl and sasl client settings for the local secure broker: its CA, and its user. The
 * certificate names 127.0.0.1 and localhost; the TLS server name is localhost, since a server
 * name may not be an IP address (RFC 6066).
 */
export function localClientSecurity(paths: KafkaPaths): Pick<KafkaSettings, 'ssl' | 'sasl'> | undefined {
  const c = localCredentials(paths);
  if (!c) return undefined;
  return { ssl: { ca: [c.ca], servername: 'localhost' }, sasl: saslOptions(c.mechanism, c.username, c.password) };
}
