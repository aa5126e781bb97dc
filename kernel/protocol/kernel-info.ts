import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';

// Versions are read from package.json files: loading the compiler here would slow kernel start.
const version = (file: string): string => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
const pkg = { version: version(join(packageRoot, 'package.json')) };
const ts = { version: version(createRequire(import.meta.url).resolve('typescript/package.json')) };

export const PROTOCOL_VERSION = '5.3';

/** The kernel_info_reply content (static, so the I/O thread answers it even while a cell runs). */
export function kernelInfo(): Record<string, unknown> {
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'windowpane',
    implementation_version: pkg.version,
    language_info: {
      name: 'typescript',
      version: ts.version,
      mimetype: 'text/typescript',
      file_extension: '.ts',
      pygments_lexer: 'typescript',
      codemirror_mode: 'typescript',
    },
    banner: `Windowpane ${pkg.version}: TypeScript ${ts.version} on Node.js ${process.version}. Windowed queries over DuckDB history and live Kafka topics.`,
    debugger: false,
    help_links: [
      { text: 'Windowpane', url: 'https://github.com/windowpane/windowpane#readme' },
      { text: 'TypeScript handbook', url: 'https://www.typescriptlang.org/docs/handbook/intro.html' },
      { text: 'Node.js API', url: 'https://nodejs.org/api/' },
    ],
  };
}
