/**
 * How a Kafka record becomes a row on Flink, the way exec/recordSql.ts types it for the local
 * engine: the value is read as raw text, every column is computed from it (JSON fields, CSV fields or
 * the text itself), cast with TRY_CAST, and a record that does not read gets the same reason the
 * local engine gives it (`__wp_reason`). Such records never reach the window: they come back as
 * dead letters.
 */
import type { LiveSpec } from '../source/types.js';
import { KAFKA_COLUMNS } from '../source/types.js';
import { fident, finterval, fliteral, type FlinkColumn } from './types.js';

export const VALUE = '`__wp_value`';
export const REASON = '__wp_reason';

/** JSON path of a field: $.name, or $['odd name']. */
function jsonPath(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `$.${name}` : `$['${name.replace(/'/g, "\\'")}']`;
}

/** Event time from text: epoch milliseconds as a number, else ISO-8601 with or without a zone (UTC when absent). */
function timestampOf(text: string): string {
  const iso = `REGEXP_REPLACE(REPLACE(${text}, 'T', ' '), '(Z|[+-]00:?00)$', '')`;
  const offset = `CAST(TO_TIMESTAMP_LTZ(REPLACE(${text}, 'T', ' '), 'yyyy-MM-dd HH:mm:ss[.SSS]XXX') AS TIMESTAMP(3))`;
  return `CASE WHEN REGEXP(${text}, '^-?[0-9]+(\\.[0-9]*)?$') THEN CAST(TO_TIMESTAMP_LTZ(CAST(ROUND(CAST(${text} AS DOUBLE), 0) AS BIGINT), 3) AS TIMESTAMP(3))`
    + ` WHEN REGEXP(${text}, '[+-][0-9][0-9]:?[0-9][0-9]$') AND NOT REGEXP(${text}, '[+-]00:?00$') THEN ${offset}`
    + ` ELSE TRY_CAST(${iso} AS TIMESTAMP(3)) END`;
}

/** The typed value of text expression `text` for a column (a ROW: its fields at `path`, NULL when the object is absent). */
function typed(text: string, c: FlinkColumn, path?: string): string {
  if (c.fields && path !== undefined) {
    const fields = c.fields.map((f) => typed(`JSON_VALUE(${VALUE}, ${fliteral(`${path}.${f.name}`)})`, f));
    return `CASE WHEN JSON_QUERY(${VALUE}, ${fliteral(path)}) IS NULL THEN CAST(NULL AS ${c.flink}) ELSE CAST(ROW(${fields.join(', ')}) AS ${c.flink}) END`;
  }
  if (c.flink === 'STRING') return text;
  if (c.flink === 'TIMESTAMP(3)') return timestampOf(text);
  return `TRY_CAST(${text} AS ${c.flink})`;
}

/** The text of each data column, and why a value does not read at all. */
function fields(live: LiveSpec, data: readonly FlinkColumn[]): { texts: string[]; unreadable: string } {
  switch (live.format) {
    case 'json':
      return {
        texts: data.map((c) => `JSON_VALUE(${VALUE}, ${fliteral(jsonPath(c.name))})`),
        unreadable: `WHEN ${VALUE} IS NULL THEN 'empty value' WHEN NOT (${VALUE} IS JSON) THEN 'malformed JSON' WHEN NOT (${VALUE} IS JSON OBJECT) THEN 'not a JSON object'`,
      };
    case 'csv': {
      const d = fliteral(live.csvDelimiter);
      const count = `CAST((CHAR_LENGTH(${VALUE}) - CHAR_LENGTH(REPLACE(${VALUE}, ${d}, ''))) / CHAR_LENGTH(${d}) + 1 AS INT)`;
      return {
        texts: data.map((_c, i) => `NULLIF(TRIM(SPLIT_INDEX(${VALUE}, ${d}, ${i})), '')`),
        unreadable: `WHEN ${VALUE} IS NULL THEN 'empty value' WHEN ${count} <> ${data.length} THEN 'expected ${data.length} CSV fields, got ' || CAST(${count} AS STRING)`,
      };
    }
    case 'text':
      return { texts: data.map((_c, i) => (i === 0 ? VALUE : 'CAST(NULL AS STRING)')), unreadable: `WHEN ${VALUE} IS NULL THEN 'empty value'` };
  }
}

/**
 * The column list of the live table: the raw value and key, Kafka metadata, each data column
 * computed from the value (the event time never NULL: a record without one has a reason and stays
 * out of the window), the reason, and the watermark.
 */
export function liveColumnsDdl(live: LiveSpec, columns: readonly FlinkColumn[], time: string, boundMs: number): string[] {
  const data = columns.filter((c) => !(c.name in KAFKA_COLUMNS));
  const { texts, unreadable } = fields(live, data);
  const values = data.map((c, i) => typed(texts[i]!, c, live.format === 'json' ? jsonPath(c.name) : undefined));
  const mistyped = data.map((c, i) => (c.flink === 'STRING' || c.fields ? '' : `WHEN ${texts[i]} IS NOT NULL AND ${values[i]} IS NULL THEN ${fliteral(`column ${c.name}: expected ${c.duck}, got `)} || SUBSTRING(${texts[i]} FROM 1 FOR 200)`)).filter(Boolean);
  const t = data.findIndex((c) => c.name === time);
  const reason = `CASE ${unreadable} ${mistyped.join(' ')} WHEN ${values[t]} IS NULL THEN ${fliteral(`missing event time "${time}"`)} END`;
  return [
    `${VALUE} STRING`,
    '`_key` STRING',
    '`_partition` INT METADATA FROM \'partition\' VIRTUAL',
    '`_offset` BIGINT METADATA FROM \'offset\' VIRTUAL',
    '`__wp_record_time` TIMESTAMP_LTZ(3) METADATA FROM \'timestamp\' VIRTUAL',
    '`_timestamp` AS CAST(`__wp_record_time` AS TIMESTAMP(3))',
    '`_headers` AS CAST(NULL AS STRING)',
    ...data.map((c, i) => `${fident(c.name)} AS ${i === t ? `COALESCE(${values[i]}, TIMESTAMP '1970-01-01 00:00:00')` : values[i]}`),
    `\`${REASON}\` AS ${reason}`,
    `WATERMARK FOR ${fident(time)} AS ${fident(time)} - ${finterval(boundMs)}`,
  ];
}
