import type * as TS from 'typescript';
import ts from './ts.js';

/** The identifiers the compiled cell uses for the persistent scope and the session runtime. */
export const SCOPE = '__wp$s';
export const RUNTIME = '__wp$rt';

/** Whether `statement` (a direct child of a cell) is ambient (`declare ...`). */
export function isAmbient(statement: TS.Node): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}

/**
 * Whether `decl` is a top-level declaration of a cell that the compiler moves onto the persistent
 * scope (so references to it must read the scope). `for (var i ...)` and ambient declarations stay put.
 */
export function isPersistentDeclaration(decl: TS.Declaration): boolean {
  let node: TS.Node = decl;
  if (ts.isBindingElement(node) || ts.isVariableDeclaration(node)) {
    while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
    if (!ts.isVariableDeclaration(node)) return false;
    const statement = node.parent.parent;
    return ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent) && !isAmbient(statement);
  }
  if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node)) {
    return ts.isSourceFile(node.parent) && !isAmbient(node);
  }
  return ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportSpecifier(node) || ts.isImportEqualsDeclaration(node);
}

/** Names bound by a binding name (`x`, `{ a, b: [c] }`). */
export function boundNames(name: TS.BindingName, into: string[] = []): string[] {
  if (ts.isIdentifier(name)) into.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) boundNames(el.name, into);
  return into;
}
