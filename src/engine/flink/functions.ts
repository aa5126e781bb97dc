/**
 * The functions and operators a query may use on engine 'flink': DuckDB's name (as its parser
 * reports it) → how Flink SQL spells the same computation. Only those with the same result on both
 * engines are listed; a query that calls anything else is refused before a job is submitted. DuckDB
 * names its operators (`~~` is LIKE); `sql` says what the user wrote, for messages.
 */
export type FlinkFunction =
  /** The same name and arguments in Flink. */
  | { readonly kind: 'same' }
  /** Another name, same arguments. */
  | { readonly kind: 'rename'; readonly to: string }
  /** avg: Flink averages integers in integer arithmetic; DuckDB gives a DOUBLE. */
  | { readonly kind: 'avg' }
  /** count_if(x): COUNT(CASE WHEN x THEN 1 END). */
  | { readonly kind: 'countIf' };

const same = { kind: 'same' } as const;

export const FLINK_FUNCTIONS: Readonly<Record<string, FlinkFunction>> = {
  // aggregates
  count_star: same, count: same, sum: same, min: same, max: same,
  avg: { kind: 'avg' }, mean: { kind: 'avg' },
  count_if: { kind: 'countIf' },
  stddev_pop: same, stddev_samp: same, stddev: { kind: 'rename', to: 'STDDEV_SAMP' },
  var_pop: same, var_samp: same, variance: { kind: 'rename', to: 'VAR_SAMP' },
  // operators
  '+': same, '-': same, '*': same, '/': same, '%': same, '||': same, '~~': same, '!~~': same,
  // numbers
  abs: same, ceil: same, ceiling: same, floor: same, round: same, sqrt: same, ln: same, log10: same, exp: same,
  power: same, pow: { kind: 'rename', to: 'POWER' }, mod: same, sign: same,
  // text
  upper: same, lower: same, trim: same, ltrim: same, rtrim: same, replace: same, substring: same, substr: same,
  length: { kind: 'rename', to: 'CHAR_LENGTH' }, char_length: same, lpad: same, rpad: same,
  // time
  year: same, quarter: same, month: same, hour: same, minute: same, second: same, dayofmonth: same,
  // conditionals
  nullif: same, if: { kind: 'rename', to: 'IF' },
};

/** What the user wrote for DuckDB's operator names, for messages. */
export const OPERATOR_SQL: Readonly<Record<string, string>> = {
  '~~*': 'ILIKE', '!~~*': 'NOT ILIKE', '~~~': 'GLOB', '!~~~': 'NOT GLOB', '//': '// (integer division)', 'regexp_full_match': 'SIMILAR TO',
  'list_value': 'a list [...]', 'struct_pack': 'a struct {...}', 'array_extract': 'a subscript x[i]', 'list_extract': 'a subscript x[i]',
};

/** A better way for functions users often reach for, where Flink has one. */
export const FUNCTION_HINTS: Readonly<Record<string, string>> = {
  any_value: 'min() or max(), which give that value when it is the same in every row of a group',
  first: 'min() or max(), which give that value when it is the same in every row of a group',
  concat: '|| (DuckDB\'s concat skips NULLs, Flink\'s returns NULL)',
  greatest: 'CASE WHEN a >= b THEN a ELSE b END (DuckDB\'s greatest skips NULLs, Flink\'s returns NULL)',
  least: 'CASE WHEN a <= b THEN a ELSE b END (DuckDB\'s least skips NULLs, Flink\'s returns NULL)',
  date_trunc: 'a window of that size instead',
};
