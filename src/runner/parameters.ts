/**
 * Notebook parameters, papermill's way: `-p name=value` values become a new code cell tagged
 * `injected-parameters`, placed right after the cell tagged `parameters` (or first, when there is
 * none), written in the kernel's language so that it overrides the defaults above it.
 */
import { NotebookError } from '../errors.js';
import { messages } from '../messages.js';
import { cellTags, type CodeCell, type Json, type Notebook } from './notebook.js';

export type Parameters = Readonly<Record<string, Json>>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A command-line value: JSON numbers, booleans, null, objects and lists; anything else is a string. */
export function parseParameterValue(text: string): Json {
  const t = text.trim();
  if (/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) || t === 'true' || t === 'false' || t === 'null' || /^[[{"]/.test(t)) {
    try {
      return JSON.parse(t) as Json;
    } catch {
      // not JSON after all: keep the text
    }
  }
  return text;
}

/** Parses `name=value` arguments (later ones win). */
export function parseParameters(args: readonly string[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq).trim() : '';
    if (!IDENTIFIER.test(name)) throw new NotebookError('invalid-parameter', messages.invalidParameter(arg), { context: { parameter: arg } });
    out[name] = parseParameterValue(arg.slice(eq + 1));
  }
  return out;
}

function pythonLiteral(v: Json): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonLiteral).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonLiteral(x)}`).join(', ')}}`;
}

/** The source of the injected cell for a kernel language (TypeScript and JavaScript by default). */
export function renderParameters(params: Parameters, language: string): string {
  const lang = language.toLowerCase();
  const lines = Object.entries(params).map(([name, value]) => {
    if (lang === 'python') return `${name} = ${pythonLiteral(value)}`;
    if (lang === 'r') return `${name} <- jsonlite::fromJSON(${JSON.stringify(JSON.stringify(value))})`;
    return `const ${name} = ${JSON.stringify(value)};`;
  });
  const comment = lang === 'python' || lang === 'r' ? '#' : '//';
  return [`${comment} Parameters injected by \`windowpane run\``, ...lines].join('\n');
}

/** Inserts the parameters cell (replacing an earlier injected one); returns its index, or -1. */
export function injectParameters(nb: Notebook, params: Parameters, language: string): number {
  const old = nb.cells.findIndex((c) => cellTags(c).includes('injected-parameters'));
  if (old >= 0) nb.cells.splice(old, 1);
  if (Object.keys(params).length === 0) return -1;
  const cell: CodeCell = {
    cell_type: 'code',
    id: 'injected-parameters',
    source: renderParameters(params, language),
    metadata: { tags: ['injected-parameters'] },
    outputs: [],
    execution_count: null,
  };
  if (nb.nbformat_minor < 5) delete cell.id;
  const at = nb.cells.findIndex((c) => cellTags(c).includes('parameters')) + 1;
  nb.cells.splice(at, 0, cell);
  return at;
}
