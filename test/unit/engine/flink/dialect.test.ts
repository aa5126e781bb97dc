import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { flinkSql } from '../../../../src/engine/flink/dialect.js';
import { isWindowpaneError } from '../../../../src/errors.js';
import { messages } from '../../../../src/messages.js';

let db: DuckDBInstance;
let conn: DuckDBConnection;
before(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
after(() => {
  conn.closeSync();
  db.closeSync();
});

const W = '__windowpane_windowed__';

test('identifiers in backticks; DuckDB division, avg and count_if as Flink computes them the same', async () => {
  const sql = `SELECT window_start, t.card, count(*) AS n, avg(DISTINCT x) AS "Avg x", count_if(t.flag) AS flagged, sum(v) / 2 AS half, CAST(v AS VARCHAR) AS s FROM ${W} AS "t" WHERE value != 3 GROUP BY window_start, window_end, t.card`;
  assert.equal(
    await flinkSql(conn, sql, { form: 'statement' }),
    `SELECT \`window_start\`, \`t\`.\`card\`, count(*) AS \`n\`, AVG(DISTINCT CAST( \`x\` AS DOUBLE)) AS \`Avg x\`, COUNT(CASE WHEN (\`t\`.\`flag\`) THEN 1 END) AS \`flagged\`, sum(\`v\`) * CAST(1 AS DOUBLE) / 2 AS \`half\`, CAST(\`v\` AS STRING) AS \`s\` FROM ${W} AS \`t\` WHERE \`value\` <> 3 GROUP BY \`window_start\`, \`window_end\`, \`t\`.\`card\``,
  );
});

test("GROUP BY window_start gets window_end beside it (Flink's window aggregation groups by both); intervals become exact literals", async () => {
  assert.equal(
    await flinkSql(conn, `SELECT window_start, g, count(*) AS n FROM ${W} GROUP BY window_start, g`, { form: 'statement', addWindowEnd: true }),
    `SELECT \`window_start\`, \`g\`, count(*) AS \`n\` FROM ${W} GROUP BY \`window_start\`, \`window_end\`, \`g\``,
  );
  assert.equal(await flinkSql(conn, `ts > TIMESTAMP '2024-01-01' + INTERVAL '90 minutes'`, { form: 'expression' }), `\`ts\` > TIMESTAMP '2024-01-01' + INTERVAL '0 01:30:00.000' DAY(3) TO SECOND(3)`);
  assert.equal(await flinkSql(conn, `bid.price * 0.9`, { form: 'expression' }), '`bid`.`price` * 0.9');
});

test('what has no counterpart is refused with a caret under it, naming it and a replacement', async () => {
  const refused = async (text: string, form: 'statement' | 'expression', feature: string, at: string, hint: string) => {
    const i = text.indexOf(at);
    await assert.rejects(flinkSql(conn, text, { form }), (e: unknown) => isWindowpaneError(e) && e.code === 'flink-unsupported' && e.message === messages.flinkUnsupported(feature, `${text}\n${' '.repeat(i)}${'^'.repeat(at.length)}`, hint));
  };
  await refused('any_value(p.usual)', 'expression', 'any_value()', 'any_value', messages.flinkHintUse('min() or max(), which give that value when it is the same in every row of a group'));
  await refused("s ILIKE 'a%'", 'expression', 'ILIKE', 'ILIKE', messages.flinkHintFunction());
  await refused('quantile_cont(x, 0.5)', 'expression', 'quantile_cont()', 'quantile_cont', messages.flinkHintFunction());
  await refused(`SELECT window_start, count(*) FROM ${W} GROUP BY ALL`, 'statement', 'GROUP BY ALL', 'GROUP BY ALL', messages.flinkHintSyntax('group'));
  await refused('x::INTEGER', 'expression', '::', '::', messages.flinkHintSyntax(':'));
  await refused('a // 2', 'expression', '//', '//', messages.flinkHintSyntax('/'));
  await refused(`SELECT window_start, row_number() OVER () AS r FROM ${W}`, 'statement', 'row_number() OVER (...)', 'row_number', messages.flinkHintOver());
  await refused(`SELECT window_start, count(*) FROM ${W} AS t JOIN cards AS c ON c.k = t.k GROUP BY window_start`, 'statement', 'table cards', 'cards', messages.flinkHintTable());
  await refused(`SELECT window_start, count(*) AS n FROM ${W} GROUP BY window_start ORDER BY n`, 'statement', 'ORDER BY', 'ORDER BY', messages.flinkHintSyntax('order'));
  await refused(`SELECT window_start, count(*) AS n FROM ${W} GROUP BY 1`, 'statement', 'GROUP BY by position', '1', messages.flinkHintSyntax('group'));
});
