/**
 * windowpane: the library. Usable from any Node script and preloaded in the kernel.
 * Each area appends its public exports below.
 */
export * from './errors.js';
export { loadKafkaSettings, type KafkaSettings } from './config/settings.js';
export { kafkaClient, resolveBrokers } from './kafka/connect.js';
export { notebookHost, setNotebookHost, type NotebookHost, type HostComm } from './notebook/host.js';
