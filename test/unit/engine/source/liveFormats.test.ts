// docs/architecture.md, "a live format": followed once with a toy format (the value as one text
// column, like 'text'). The new name in LIVE_FORMATS alone fails to compile where records are typed;
// the recipe compiles, and source() accepts exactly the listed formats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { source } from '../../../../src/engine/source/define.js';
import { LIVE_FORMATS } from '../../../../src/engine/source/types.js';
import { followRecipe, type Step } from '../../../helpers/recipe.js';

const RECIPE: readonly Step[] = [
  // 1. the name, in the one list source() checks against
  { file: 'src/engine/source/types.ts', find: `export const LIVE_FORMATS = ['json', 'csv', 'text'] as const;`, replace: `export const LIVE_FORMATS = ['json', 'csv', 'text', 'toy'] as const;` },
  // 2. how a record's value becomes text fields, and why a value is bad
  {
    file: 'src/engine/exec/recordSql.ts',
    find: `    case 'text':\n`,
    replace: `    case 'toy':\n    case 'text':\n`,
  },
  // 3. engine 'flink': the same, as Flink SQL over the raw value
  { file: 'src/engine/flink/liveRecord.ts', find: `    case 'text':\n`, replace: `    case 'toy':\n    case 'text':\n` },
];

test('a toy live format compiles only once every place of the recipe handles it', () => {
  followRecipe(RECIPE);
});

test('source() accepts the listed formats and names them when one is not', () => {
  for (const format of LIVE_FORMATS) assert.equal(source({ name: 's', time: 't', schema: { t: 'TIMESTAMP' }, live: { topic: 'x', format } }).spec.live?.format, format);
  assert.throws(() => source({ name: 's', time: 't', schema: { t: 'TIMESTAMP' }, live: { topic: 'x', format: 'avro' as 'json' } }), /"avro" is not one of json, csv, text/);
});
