import type { DisplayOptions, ExecutionContext, MimeBundle } from '../../../../kernel/session/types.js';

/** An ExecutionContext that records what a cell sends, for unit tests of the session. */
export class RecordingContext implements ExecutionContext {
  readonly id: string;
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  readonly streams: { name: 'stdout' | 'stderr'; text: string }[] = [];
  readonly displays: { data: MimeBundle; options?: DisplayOptions }[] = [];
  readonly clears: boolean[] = [];
  readonly prompts: { prompt: string; password: boolean }[] = [];
  answers: string[] = [];

  constructor(
    readonly executionCount: number,
    readonly allowStdin = true,
  ) {
    this.id = `msg-${executionCount}`;
  }

  stream(name: 'stdout' | 'stderr', text: string): void {
    this.streams.push({ name, text });
  }
  display(data: MimeBundle, options?: DisplayOptions): void {
    this.displays.push(options ? { data, options } : { data });
  }
  clearOutput(wait: boolean): void {
    this.clears.push(wait);
  }
  input(prompt: string, password: boolean): Promise<string> {
    if (!this.allowStdin) return Promise.reject(new Error('stdin not allowed'));
    this.prompts.push({ prompt, password });
    return Promise.resolve(this.answers.shift() ?? '');
  }

  text(name: 'stdout' | 'stderr'): string {
    return this.streams
      .filter((s) => s.name === name)
      .map((s) => s.text)
      .join('');
  }
}
