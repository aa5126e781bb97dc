/**
 * How a raw Kafka record becomes a typed row, in DuckDB SQL: the record's value is parsed once
 * (JSON via json_transform to text fields, and STRUCT columns straight to their type; CSV by
 * splitting; text as is), then every field is cast to the schema's type with TRY_CAST. A row with a
 * value that does not parse or does not cast gets a reason and goes to the dead-letter table; the
 * others become events. Casting in DuckDB keeps one set of semantics for history and live.
 */
import type { LiveSpec } from '../source/types.js';
import { ident, literal } from './duck.js';

export interface Column {
  readonly name: string;
  readonly type: string;
}

const TIME_TYPES = /^(TIMESTAMP|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE|DATE|TIMESTAMP_MS|TIMESTAMP_S|TIMESTAMP_NS)$/i;
const STRUCT = /^STRUCT\s*\(/i;
const NESTED = /[()[\]]|^(STRUCT|MAP|LIST|UNION|JSON)/i;

/** The typed value of text field `text` (SQL) for a column type. */
function castText(text: string, type: string): string {
  if (/^VARCHAR$/i.test(type)) return text;
  if (TIME_TYPES.test(type)) {
    // numbers are epoch milliseconds; strings are ISO-8601 with or without a zone (UTC when absent).
    // A date text (YYYY-…) with no offset after its date ('…Z', or no zone at all) casts straight to
    // TIMESTAMP, a third of the cost of the zone-aware TIMESTAMPTZ cast (DuckDB's TIMESTAMP cast
    // would ignore an offset, hence the guard); a number never tries it (a failing cast costs); a
    // text it does not take falls through to the general rule.
    const zoneFree = `CASE WHEN substr(${text}, 5, 1) = '-' AND NOT contains(substr(${text}, 9), '+') AND NOT contains(substr(${text}, 9), '-') THEN TRY_CAST(TRY_CAST(${text} AS TIMESTAMP) AS ${type}) END`;
    return `coalesce(${zoneFree}, CASE WHEN regexp_full_match(${text}, '-?[0-9]+(\\.[0-9]*)?') THEN TRY_CAST(make_timestamp(CAST(round(CAST(${text} AS DOUBLE) * 1000) AS BIGINT)) AS ${type}) ELSE TRY_CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AS ${type}) END)`;
  }
  if (NESTED.test(type)) return `TRY_CAST(TRY_CAST(${text} AS JSON) AS ${type})`;
  return `TRY_CAST(${text} AS ${type})`;
}

/**
 * SQL over staged records (a relation with columns _partition, _offset, _timestamp_ms, _key BLOB, _headers,
 * _value BLOB). Keys and values are decoded from UTF-8 here: a value that is not valid UTF-8 is a
 * bad record (kept with its bytes escaped), a key that is not is kept escaped.
 */
export function typedRecordsSql(live: LiveSpec, columns: readonly Column[], time: string, stage: string): string {
  const data = columns.filter((c) => !c.name.startsWith('_') || !['_key', '_partition', '_offset', '_timestamp', '_headers'].includes(c.name));
  // 1. the value as text fields (NULL struct = unparseable)
  let parsed: string;
  let texts: string[];
  let parseReason: string;
  let shapeReason = '';
  // the text of a JSON STRUCT column (which the parse types itself), made only for the rows that need it
  let structText: readonly (string | undefined)[] = [];
  switch (live.format) {
    case 'json': {
      // A STRUCT column is typed by the json_transform that parses the value: the same rules as
      // casting its JSON text (the general path), without writing the object back to text and
      // parsing it again. The one value the two differ on is a JSON string (the general path parses
      // its content as JSON): it comes out as a struct of NULL fields, so that struct, and only it,
      // takes the general path, from the field's text.
      const isStruct = data.map((c) => STRUCT.test(c.type));
      const structure = JSON.stringify(Object.fromEntries(data.map((c, i) => [c.name, isStruct[i] ? c.type : 'VARCHAR'])));
      // json_transform makes a struct of NULL fields of any other valid JSON (an array, a scalar):
      // json_type is asked only for rows without a single field, in `shapeReason`
      parsed = `CASE WHEN json_valid(_value) THEN json_transform(_value, ${literal(structure)}) END`;
      texts = data.map((c) => `__f[${literal(c.name)}]`);
      structText = data.map((c, i) => (isStruct[i] ? `json_transform(_value, ${literal(JSON.stringify({ [c.name]: 'VARCHAR' }))})[${literal(c.name)}]` : undefined));
      parseReason = `CASE WHEN _value IS NULL THEN 'empty value' WHEN NOT json_valid(_value) THEN 'malformed JSON' ELSE 'not a JSON object' END`;
      shapeReason = `WHEN ${texts.map((t) => `${t} IS NULL`).join(' AND ') || 'true'} AND json_type(_value) <> 'OBJECT' THEN 'not a JSON object' `;
      break;
    }
    case 'csv':
      parsed = `CASE WHEN _value IS NOT NULL THEN string_split(_value, ${literal(live.csvDelimiter)}) END`;
      texts = data.map((_c, i) => `NULLIF(trim(__f[${i + 1}]), '')`);
      parseReason = `'empty value'`;
      break;
    case 'text':
      parsed = `CASE WHEN _value IS NOT NULL THEN [_value] END`;
      texts = data.map((_c, i) => (i === 0 ? '__f[1]' : 'NULL'));
      parseReason = `'empty value'`;
      break;
  }
  // 2. typed fields, and the first reason a row is bad
  const typed = data.map((c, i) => {
    const text = structText[i];
    if (text === undefined) return `${castText(texts[i]!, c.type)} AS ${ident(c.name)}`;
    const parsedHere = texts[i]!;
    return `CASE WHEN ${parsedHere} IS DISTINCT FROM TRY_CAST('{}'::JSON AS ${c.type}) THEN ${parsedHere} ELSE ${castText(text, c.type)} END AS ${ident(c.name)}`;
  });
  // a field is mistyped when its value is there and its typed column is NULL (the cast runs once,
  // above); the text for the reason is the field's (a STRUCT's is made only for such a row)
  const mistyped = data.map(
    (c, i) => `WHEN ${texts[i]!} IS NOT NULL AND ${ident(c.name)} IS NULL THEN ${literal(`column ${c.name}: expected ${c.type}, got `)} || left(${structText[i] ?? texts[i]!}, 200)`,
  );
  const csvArity = live.format === 'csv' ? `WHEN len(__f) <> ${data.length} THEN 'expected ${data.length} CSV fields, got ' || len(__f) ` : '';
  const meta = `_partition, _offset, make_timestamp(_timestamp_ms * 1000) AS _timestamp, _key, _headers`;
  const decoded = `SELECT _partition, _offset, _timestamp_ms, coalesce(TRY(decode(_key)), CAST(_key AS VARCHAR)) AS _key, _headers, TRY(decode(_value)) AS _value, _value AS __bytes FROM ${stage}`;
  const typedRows = `SELECT ${meta}, _value, __bytes, __f, ${typed.join(', ')} FROM (SELECT *, ${parsed} AS __f FROM (${decoded}))`;
  const reason = `CASE WHEN _value IS NULL AND __bytes IS NOT NULL THEN 'value is not valid UTF-8' WHEN __f IS NULL THEN ${parseReason} ${shapeReason}${csvArity}${mistyped.join(' ')} WHEN ${ident(time)} IS NULL THEN ${literal(`missing event time "${time}"`)} END`;
  return `SELECT * EXCLUDE (__f, __bytes, _value), coalesce(_value, CAST(__bytes AS VARCHAR)) AS _value, ${reason} AS __reason FROM (${typedRows})`;
}
