import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, isWindowpaneError } from '../errors.js';
import { packageRoot } from '../util/paths.js';
import type { Command } from './command.js';
import { kafkaCommand } from './commands/kafka.js';
import { flinkCommand } from './commands/flink.js';
import { upCommand } from './commands/up.js';
import { runCommand } from './commands/run.js';
import { replayCommand } from './commands/replay.js';
import { kernelCommand } from './commands/kernel.js';

/** Every subcommand, in the order `windowpane help` lists them. */
const commands: readonly Command[] = [upCommand, kafkaCommand, flinkCommand, runCommand, replayCommand, kernelCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'windowpane: unified batch and stream analytics in Jupyter notebooks',
    '',
    'usage: windowpane <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `windowpane <command> --help` for a command\'s options; `windowpane --version` prints the version.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`windowpane ${(JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`windowpane: unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    process.stderr.write(`windowpane ${name}: ${errorMessage(e)}\n`);
    if (!isWindowpaneError(e) && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    return 1;
  }
}
