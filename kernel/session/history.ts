import type * as TS from 'typescript';
import ts from './ts.js';
import { boundNames } from './scope-names.js';

/** One top-level declaration of a cell, as source text, with the names it declares. */
interface Declaration {
  readonly names: readonly string[];
  readonly text: string;
}

function parse(code: string): TS.SourceFile {
  return ts.createSourceFile('/cell.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Source text of a statement with the JSDoc before it (kept for inspect) and without `export`. */
function statementText(s: TS.Statement, file: TS.SourceFile): string {
  const comments = file.text.slice(s.getFullStart(), s.getStart(file)).trim();
  const body = s.getText(file).replace(/^export\s+(default\s+)?/, '');
  return comments ? `${comments}\n${body}` : body;
}

/** The declarations of a cell, split so that each can be replaced when a later cell redeclares a name. */
export function declarationsOf(code: string): Declaration[] {
  const file = parse(code);
  const out: Declaration[] = [];
  for (const s of file.statements) {
    if (ts.isVariableStatement(s)) {
      const flags = s.declarationList.flags;
      const keyword = flags & ts.NodeFlags.Const || flags & ts.NodeFlags.Using ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
      const ambient = (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ? 'declare ' : '';
      const doc = file.text.slice(s.getFullStart(), s.getStart(file)).trim();
      for (const d of s.declarationList.declarations) {
        const text = `${ambient}${keyword} ${d.getText(file)};`;
        out.push({ names: boundNames(d.name), text: doc && d === s.declarationList.declarations[0] ? `${doc}\n${text}` : text });
      }
    } else if (ts.isImportDeclaration(s) && s.importClause) {
      const from = s.moduleSpecifier.getText(file);
      const clause = s.importClause;
      const type = clause.isTypeOnly ? 'type ' : '';
      if (clause.name) out.push({ names: [clause.name.text], text: `import ${type}${clause.name.text} from ${from};` });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) out.push({ names: [bindings.name.text], text: `import ${type}* as ${bindings.name.text} from ${from};` });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) out.push({ names: [el.name.text], text: `import ${type}{ ${el.getText(file)} } from ${from};` });
      }
    } else if (ts.isImportEqualsDeclaration(s) || ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) {
      out.push({ names: s.name ? [s.name.text] : [], text: statementText(s, file) });
    } else if (ts.isModuleDeclaration(s)) {
      // `declare global {}` and `declare module 'x' {}` have no name to replace them by: they stay.
      out.push({ names: ts.isIdentifier(s.name) && !(s.flags & ts.NodeFlags.GlobalAugmentation) ? [s.name.text] : [], text: statementText(s, file) });
    }
  }
  return out;
}

/** Every name a cell declares at top level (values and types). */
export function declaredNames(code: string): Set<string> {
  return new Set(declarationsOf(code).flatMap((d) => d.names));
}

/**
 * The declarations of all cells run so far, newest wins: the type checker and the completer see them
 * before the current cell, as if the notebook were one file. A later declaration of a name replaces
 * the earlier one; names that shared a destructuring with a replaced name stay declared as `any`.
 */
export class DeclarationHistory {
  private entries: Declaration[] = [];

  add(code: string): void {
    const added = declarationsOf(code);
    this.entries = [...this.without(new Set(added.flatMap((d) => d.names))), ...added];
  }

  /** The history as source text, leaving out declarations of `excluded` names (the current cell's). */
  text(excluded: ReadonlySet<string> = new Set()): string {
    return this.without(excluded)
      .map((d) => d.text)
      .join('\n');
  }

  private without(names: ReadonlySet<string>): Declaration[] {
    if (names.size === 0) return this.entries;
    const kept: Declaration[] = [];
    for (const d of this.entries) {
      if (!d.names.some((n) => names.has(n))) kept.push(d);
      else if (d.names.length > 1) kept.push(...d.names.filter((n) => !names.has(n)).map((n) => ({ names: [n], text: `declare var ${n}: any;` })));
    }
    return kept;
  }
}
