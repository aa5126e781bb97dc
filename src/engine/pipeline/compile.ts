/**
 * Stateless plans: a chain of filter, derive and select over a scan (the builder without a window),
 * or SQL without a window call reading one source (the SQL front end). Both become plan nodes the
 * shared renderer turns into DuckDB SQL.
 */
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { PlanNode } from '../plan/types.js';
import { windowKindOfSql } from '../plan/window.js';
import type { SourcesInput } from '../sql/compile.js';
import { identifierOf, tokenize } from '../sql/tokenize.js';
import { WINDOWED_PLACEHOLDER } from '../sql/windowCall.js';
import { sourceNode, type Source } from '../source/define.js';
import type { SourceSpec } from '../source/types.js';

type StatelessNode = Extract<PlanNode, { readonly kind: 'scan' | 'filter' | 'derive' | 'select' | 'statement' }>;
const STATELESS: ReadonlySet<string> = new Set(['scan', 'filter', 'derive', 'select', 'statement']);

function isStateless(n: PlanNode): n is StatelessNode {
  return STATELESS.has(n.kind);
}

/** The plan's source, after checking that every node is stateless. */
export function statelessSource(plan: PlanNode): SourceSpec {
  let node: PlanNode = plan;
  for (;;) {
    if (!isStateless(node)) throw new QueryError('pipeline-stateful', messages.pipelineStateful(node.kind === 'intervalJoin' ? 'an interval join' : `a "${node.kind}" step`));
    if (node.kind === 'scan') return node.source;
    if (node.kind === 'statement' && node.input.kind !== 'scan') throw new QueryError('pipeline-stateful', messages.pipelineStateful(node.input.kind === 'intervalJoin' ? 'an interval join' : 'a window'));
    node = node.input;
  }
}

/** True when the chain names its output columns (a select, or SQL's own select list). */
export function selectsColumns(plan: PlanNode): boolean {
  let node: PlanNode = plan;
  while (isStateless(node) && node.kind !== 'scan') {
    if (node.kind === 'select' || node.kind === 'statement') return true;
    node = node.input;
  }
  return false;
}

const NOT_ALIAS = new Set(['where', 'group', 'order', 'having', 'limit', 'offset', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'positional', 'asof', 'anti', 'semi', 'on', 'using', 'window', 'qualify', 'union', 'except', 'intersect', 'sample', 'tablesample']);

/** SQL over one source without a window call: the source's name in FROM/JOIN becomes its relation. */
export function compilePipelineSql(sql: string, sources: SourcesInput): PlanNode {
  const list = Array.isArray(sources) ? (sources as readonly Source[]) : Object.values(sources as Record<string, Source>);
  const known = new Map(list.map((s) => [s.spec.name.toLowerCase(), s]));
  const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  if (code.some((t, i) => t.kind === 'word' && windowKindOfSql(t.text) !== undefined && code[i + 1]?.kind === 'lparen')) {
    throw new QueryError('pipeline-window-call', messages.pipelineWindowCall(sql), { context: { sql } });
  }
  const at = code.findIndex((t, i) => i > 0 && /^(from|join)$/i.test(code[i - 1]!.text) && (t.kind === 'word' || t.kind === 'quoted') && known.has(identifierOf(t).toLowerCase()));
  if (at < 0) throw new QueryError('pipeline-no-source', messages.pipelineNoSource(sql, list.map((s) => s.spec.name).join(', ')), { context: { sql } });
  const token = code[at]!;
  const source = known.get(identifierOf(token).toLowerCase())!;
  const after = code[at + 1];
  const hasAlias = after !== undefined && (after.kind === 'quoted' || (after.kind === 'word' && !NOT_ALIAS.has(after.text.toLowerCase())));
  const replacement = hasAlias ? WINDOWED_PLACEHOLDER : `${WINDOWED_PLACEHOLDER} AS "${identifierOf(token).replace(/"/g, '""')}"`;
  const rewritten = sql.slice(0, token.start) + replacement + sql.slice(token.end);
  return { kind: 'statement', input: sourceNode(source), relation: source.spec.name, sql: rewritten, original: sql };
}
