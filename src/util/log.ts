/**
 * The library's own warnings (a Kafka client that keeps failing, a stream that stopped): one line
 * each, "windowpane: <what>", on stderr unless a program takes them (setLogSink). Never raw JSON
 * from a client library.
 */
export type LogSink = (line: string) => void;

const toStderr: LogSink = (line) => void process.stderr.write(`${line}\n`);
let sink: LogSink = toStderr;

/** Sends the library's warnings to `next` (a CLI's own prefix, a test's buffer); undefined restores stderr. */
export function setLogSink(next: LogSink | undefined): void {
  sink = next ?? toStderr;
}

export function warn(line: string): void {
  sink(`windowpane: ${line}`);
}
