import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The path of a file in the installed vega-datasets package's data/ folder. */
export function vegaDataFile(name: string): string {
  // the package exports only its index (build/index.js); data/ sits beside build/
  const main = createRequire(import.meta.url).resolve('vega-datasets');
  return join(dirname(dirname(main)), 'data', name);
}
