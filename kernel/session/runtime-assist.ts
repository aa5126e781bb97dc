/**
 * Completion and inspection from the live objects, for the seconds before the type checker is warm
 * (and for values it only knows as `any`): the names on the cell scope (earlier cells' declarations,
 * the preloaded API), the process's globals (Math, JSON, Buffer...), the keywords, and the members of
 * `a.b.c` found by reading the live objects. Reading never runs cell code: a step through a getter
 * that is not the engine's own, or through a Proxy, stops the lookup.
 */
import { inspect as show, types } from 'node:util';
import { toCodePoints, toUtf16Offset, wordStart } from './positions.js';
import type { CompleteResult, InspectResult } from './types.js';

/** The cell scope, or undefined while the session is still loading. */
export type RuntimeScope = Readonly<Record<string, unknown>> | undefined;

const NAME = '[\\p{ID_Start}$_][\\p{ID_Continue}$\\u200c\\u200d]*';
const IDENTIFIER = new RegExp(`^${NAME}$`, 'u');
const CHAIN = new RegExp(`(${NAME}(?:\\s*\\??\\.\\s*${NAME})*)\\s*\\??\\.\\s*$`, 'u');
const BEFORE_CHAIN = /[\p{ID_Continue}$.)\]'"`]\s*$/u;
const DECLARED = new RegExp(`\\b(?:const|let|var|function\\*?|class|enum|namespace)\\s+(${NAME})`, 'gu');
const WORD_AFTER = /^[\p{ID_Continue}$\u200c\u200d]*/u;
const KEYWORDS = ['async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'return', 'satisfies', 'switch', 'this', 'throw', 'true', 'try', 'type', 'typeof', 'undefined', 'var', 'void', 'while', 'yield'];
const UNKNOWN = Symbol('unknown');
type Kind = 'keyword' | 'variable' | 'function' | 'class' | 'method' | 'property';

const isNative = (fn: unknown): boolean => typeof fn === 'function' && /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(fn));

/** `owner[name]` without running cell code: a data property, or a getter of the engine itself. */
function read(owner: unknown, name: string): unknown {
  if (owner === null || owner === undefined) return UNKNOWN;
  for (let o: object | null = Object(owner) as object; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    if (types.isProxy(o)) return UNKNOWN;
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (!d) continue;
    if ('value' in d) return d.value as unknown;
    return isNative((d as { get?: unknown }).get) ? (Reflect.get(o, name, owner) as unknown) : UNKNOWN;
  }
  return UNKNOWN;
}

function resolve(scope: RuntimeScope, path: readonly string[]): unknown {
  const [root, ...rest] = path;
  if (root === undefined) return UNKNOWN;
  let value = scope && Object.hasOwn(scope, root) ? scope[root] : read(globalThis, root);
  for (const name of rest) if (value !== UNKNOWN) value = read(value, name);
  return value;
}

function kindOf(value: unknown, member: boolean): Kind {
  if (typeof value !== 'function') return member ? 'property' : 'variable';
  return /^class\b/.test(Function.prototype.toString.call(value)) ? 'class' : member ? 'method' : 'function';
}

/** Own and inherited property names of a value, with their kinds. */
function members(value: unknown): Map<string, Kind> {
  const out = new Map<string, Kind>();
  if (value === null || value === undefined || value === UNKNOWN) return out;
  for (let o: object | null = Object(value) as object; o !== null && !types.isProxy(o); o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (out.has(name) || !IDENTIFIER.test(name) || name.startsWith('__')) continue;
      const d = Object.getOwnPropertyDescriptor(o, name)!;
      out.set(name, kindOf('value' in d ? d.value : undefined, true));
    }
  }
  return out;
}

/** Every name a cell can start with: the scope, the globals, the cell's own declarations, keywords. */
function topLevel(scope: RuntimeScope, code: string): Map<string, Kind> {
  const out = new Map<string, Kind>();
  for (const name of Object.keys(scope ?? {})) out.set(name, kindOf(scope![name], false));
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    if (!out.has(name) && IDENTIFIER.test(name) && !name.startsWith('__')) out.set(name, kindOf(read(globalThis, name), false));
  }
  for (const m of code.matchAll(DECLARED)) if (!out.has(m[1]!)) out.set(m[1]!, 'variable');
  for (const k of KEYWORDS) if (!out.has(k)) out.set(k, 'keyword');
  return out;
}

/** The property path before `start` (`a.b.` → ['a', 'b']); undefined when there is no dot, [] when it cannot be read. */
function pathBefore(code: string, start: number): string[] | undefined {
  const before = code.slice(0, start);
  if (!/\??\.\s*$/.test(before) || /\.\.\.\s*$/.test(before)) return undefined;
  const m = CHAIN.exec(before);
  if (!m || BEFORE_CHAIN.test(before.slice(0, m.index))) return [];
  return m[1]!.split(/\s*\??\.\s*/);
}

/** complete_request from the live objects. */
export function runtimeComplete(scope: RuntimeScope, code: string, cursorPos: number): CompleteResult {
  const offset = toUtf16Offset(code, cursorPos);
  const start = wordStart(code, offset);
  const prefix = code.slice(start, offset);
  const path = pathBefore(code, start);
  const candidates = path === undefined ? topLevel(scope, code) : members(resolve(scope, path));
  let names = [...candidates.keys()].filter((n) => n.startsWith(prefix));
  if (names.length === 0) names = [...candidates.keys()].filter((n) => n.toLowerCase().startsWith(prefix.toLowerCase()));
  names.sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b));
  const cursorStart = toCodePoints(code, start);
  const cursorEnd = toCodePoints(code, offset);
  return { matches: names, cursorStart, cursorEnd, types: names.map((text) => ({ text, type: candidates.get(text)!, start: cursorStart, end: cursorEnd })) };
}

/** inspect_request from the live objects: what the name at the cursor holds now. */
export function runtimeInspect(scope: RuntimeScope, code: string, cursorPos: number): InspectResult {
  const offset = toUtf16Offset(code, cursorPos);
  const end = offset + WORD_AFTER.exec(code.slice(offset))![0].length;
  const start = wordStart(code, end);
  if (start === end) return { found: false, data: {} };
  const owner = pathBefore(code, start);
  if (owner?.length === 0) return { found: false, data: {} };
  const path = [...(owner ?? []), code.slice(start, end)];
  const value = resolve(scope, path);
  if (value === UNKNOWN) return { found: false, data: {} };
  const head = typeof value === 'function' ? Function.prototype.toString.call(value).split('\n')[0]!.slice(0, 200) : `${path.join('.')}: ${value === null ? 'null' : typeof value}`;
  const body = show(value, { depth: 1, maxArrayLength: 20, maxStringLength: 500, breakLength: 100 }).slice(0, 2000);
  return { found: true, data: { 'text/plain': `${head}\n\n${body}`, 'text/markdown': '```javascript\n' + `${head}\n\n${body}` + '\n```' } };
}
