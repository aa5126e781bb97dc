// docs/architecture.md, "a sink": followed once with a toy sink that keeps rows in an array. The new
// member of SinkSpec alone fails to compile in every file that must handle it; the recipe compiles.
import { test } from 'node:test';
import { followRecipe, type Step } from '../../../helpers/recipe.js';

const RECIPE: readonly Step[] = [
  // 1. the spec: plain data, as a sink's define function returns it
  {
    file: 'src/engine/sink/types.ts',
    find: `  | { readonly kind: 'parquet';`,
    replace: `  | { readonly kind: 'memory'; readonly mode: SinkMode; readonly rows: SinkRow[] }\n  | { readonly kind: 'parquet';`,
  },
  // 2. its label in messages, and the writer that consumes SinkRows
  { file: 'src/engine/sink/attach.ts', find: `    case 'parquet': return \`Parquet sink to \${spec.dir}\`;`, replace: `    case 'parquet': return \`Parquet sink to \${spec.dir}\`;\n    case 'memory': return 'memory sink';` },
  {
    file: 'src/engine/sink/attach.ts',
    find: `    case 'parquet': return openParquetWriter(`,
    replace: `    case 'memory': {
      const rows = spec.rows;
      const stats = { rows: 0, deleted: 0, messages: 0, files: 0 };
      return Promise.resolve({ stats, write: (r: readonly SinkRow[]) => { rows.push(...r); stats.rows += r.length; return Promise.resolve(); }, close: () => Promise.resolve(), abort: () => Promise.resolve() });
    }
    case 'parquet': return openParquetWriter(`,
  },
  // 3. how the handle reads back what was written
  { file: 'src/engine/sink/read.ts', find: `    case 'kafka':\n`, replace: `    case 'memory':\n      return () => Promise.resolve(spec.rows.map((r) => ({ ...r.row })));\n    case 'kafka':\n` },
];

test('a toy sink compiles only once every place of the recipe handles it', () => {
  followRecipe(RECIPE);
});
