import type * as TS from 'typescript';
import ts from './ts.js';
import { RUNTIME } from './scope-names.js';

const f = ts.factory;

type Assign = (name: string, value: TS.Expression, range: TS.Node) => TS.Statement;

/**
 * Static imports of a cell, as statements on the persistent scope:
 * `import d, { a as b } from 'm'` → `const __wp$m0 = await __wp$rt.import("m"); __wp$s.d = __wp$m0.default; __wp$s.b = __wp$m0.a`.
 * Type-only imports and specifiers vanish; `import x = require('m')` uses `__wp$rt.require`.
 */
export function importRewriter(assign: Assign, visitExpr: (e: TS.Expression) => TS.Expression) {
  const importModule = (spec: TS.Expression, attributes: TS.ImportAttributes | undefined): TS.Expression => {
    const args: TS.Expression[] = [f.createStringLiteral((spec as TS.StringLiteral).text)];
    if (attributes) {
      const entries = attributes.elements.map((a) => f.createPropertyAssignment(f.createStringLiteral(ts.isIdentifier(a.name) ? a.name.text : a.name.text), a.value));
      args.push(f.createObjectLiteralExpression([f.createPropertyAssignment('with', f.createObjectLiteralExpression(entries))]));
    }
    return f.createAwaitExpression(f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(RUNTIME), 'import'), undefined, args));
  };
  let moduleCount = 0;
  const importDeclaration = (node: TS.ImportDeclaration): TS.Statement[] => {
    const clause = node.importClause;
    const loaded = importModule(node.moduleSpecifier, node.attributes);
    if (!clause) return [ts.setTextRange(f.createExpressionStatement(loaded), node)];
    if (clause.isTypeOnly) return [];
    const temp = f.createIdentifier(`__wp$m${moduleCount++}`);
    const out: TS.Statement[] = [ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(temp, undefined, undefined, loaded)], ts.NodeFlags.Const)), node)];
    if (clause.name) out.push(assign(clause.name.text, f.createPropertyAccessExpression(temp, 'default'), clause.name));
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) out.push(assign(bindings.name.text, temp, bindings));
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) {
        if (el.isTypeOnly) continue;
        const imported = el.propertyName ?? el.name;
        const key = ts.isIdentifier(imported) ? f.createPropertyAccessExpression(temp, imported.text) : f.createElementAccessExpression(temp, f.createStringLiteral(imported.text));
        out.push(assign(el.name.text, key, el));
      }
    }
    return out;
  };
  const importEquals = (node: TS.ImportEqualsDeclaration): TS.Statement[] => {
    if (node.isTypeOnly) return [];
    const ref = node.moduleReference;
    const value = ts.isExternalModuleReference(ref)
      ? f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(RUNTIME), 'require'), undefined, [f.createStringLiteral((ref.expression as TS.StringLiteral).text)])
      : entityToExpression(ref, visitExpr);
    return [assign(node.name.text, value, node)];
  };
  return { importDeclaration, importEquals };
}

function entityToExpression(name: TS.EntityName, visit: (e: TS.Expression) => TS.Expression): TS.Expression {
  if (ts.isIdentifier(name)) return visit(name);
  return f.createPropertyAccessExpression(entityToExpression(name.left, visit), name.right.text);
}
