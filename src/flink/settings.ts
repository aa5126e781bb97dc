import { configFilePath, readSettingsFile } from '../config/settings.js';
import { ConfigError, FlinkError } from '../errors.js';
import { messages } from '../messages.js';
import { flinkPaths, type FlinkPaths } from '../local-flink/paths.js';
import { liveProcesses, readClusterState } from '../local-flink/state.js';
import { FlinkGateway } from './gateway.js';
import type { RestOptions } from './rest.js';

/** A gateway URL, checked: http(s)://host:port with no path beyond "/". */
export function parseGatewayUrl(value: unknown, where: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value.trim()) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new ConfigError('invalid-flink-gateway', messages.flinkInvalidGateway(where, typeof value === 'string' ? value : JSON.stringify(value)));
  }
  return url.origin;
}

/**
 * The gateway of an existing cluster, when one is configured: WINDOWPANE_FLINK_GATEWAY, else
 * "flink": {"gateway": ...} in the config file. Undefined means "the local cluster".
 */
export function configuredGateway(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (env.WINDOWPANE_FLINK_GATEWAY) return parseGatewayUrl(env.WINDOWPANE_FLINK_GATEWAY, 'WINDOWPANE_FLINK_GATEWAY');
  const path = configFilePath(env, cwd);
  if (!path) return undefined;
  const flink = (readSettingsFile(path) as { flink?: unknown }).flink;
  if (flink === undefined) return undefined;
  if (typeof flink !== 'object' || flink === null || Array.isArray(flink)) throw new ConfigError('config-file-invalid', messages.configFileInvalid(path, '"flink" must be an object'));
  const gateway = (flink as { gateway?: unknown }).gateway;
  return gateway === undefined ? undefined : parseGatewayUrl(gateway, `"flink.gateway" in ${path}`);
}

/** The gateway to use: the configured one, else the running local cluster's. */
export function resolveGateway(options: { env?: NodeJS.ProcessEnv; cwd?: string; paths?: FlinkPaths } = {}): string {
  const configured = configuredGateway(options.env, options.cwd);
  if (configured) return configured;
  const state = readClusterState(options.paths ?? flinkPaths());
  if (state && liveProcesses(state).some((p) => p.role === 'sql-gateway')) return state.gateway;
  throw new FlinkError('no-gateway', messages.flinkGatewayNotRunning());
}

/** A client of the configured gateway (or the local cluster's). */
export function flinkGateway(options: RestOptions & { env?: NodeJS.ProcessEnv; cwd?: string; paths?: FlinkPaths } = {}): FlinkGateway {
  return new FlinkGateway(resolveGateway(options), options);
}
