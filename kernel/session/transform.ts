import type * as TS from 'typescript';
import ts from './ts.js';
import { importRewriter } from './transform-imports.js';
import { RUNTIME, SCOPE, isAmbient, isPersistentDeclaration } from './scope-names.js';

const f = ts.factory;

/** What the transformer learnt about the cell while rewriting it. */
export interface CellShape {
  /** Value names the cell puts on the persistent scope. */
  readonly declared: Set<string>;
  /** Names the cell reads that nothing declares and no global of this process has (yet). */
  readonly free: Set<string>;
  hasResult: boolean;
}

/**
 * Rewrites a cell (a TypeScript module) into the body of `async function (__wp$s, __wp$rt)`:
 * 1. top-level declarations become assignments to the scope object (functions hoisted first);
 * 2. references that resolve to such a declaration, in this cell or an earlier one (the prelude
 *    file), read the scope: `x` → `__wp$s.x`, `{ x }` → `{ x: __wp$s.x }`;
 * 3. static imports become `await __wp$rt.import(...)`; type-only imports and exports vanish;
 * 4. a final expression statement becomes `return { value: expr }`.
 * Types are left in place for TypeScript's own transform to erase.
 */
export function cellTransformer(checker: TS.TypeChecker, preludeFile: string, shape: CellShape): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (file) => {
    let self: TS.Symbol | undefined;

    const persistent = (symbol: TS.Symbol | undefined): boolean => {
      const decl = symbol?.declarations?.[0];
      if (!decl || symbol === self) return false;
      const from = decl.getSourceFile();
      return from.fileName === preludeFile || (from === file && isPersistentDeclaration(decl));
    };
    const scopeRef = (name: string, range?: TS.Node): TS.PropertyAccessExpression => {
      const ref = f.createPropertyAccessExpression(f.createIdentifier(SCOPE), f.createIdentifier(name));
      return range ? ts.setTextRange(ref, range) : ref;
    };
    // Names that declare or label rather than refer: `obj.x`, `{ x: 1 }`, `function x`, `{ x: y } = ...`.
    const isDeclarationName = (node: TS.Identifier): boolean => {
      const parent = node.parent as TS.Node & { name?: TS.Node; propertyName?: TS.Node; label?: TS.Node };
      return parent.name === node || parent.propertyName === node || parent.label === node;
    };

    const visit = (node: TS.Node): TS.Node => {
      if (ts.isExpressionWithTypeArguments(node) && isClassExtends(node)) return f.updateExpressionWithTypeArguments(node, visitExpr(node.expression), undefined);
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return node;
      if (ts.isTypeOfExpression(node) && ts.isIdentifier(node.expression) && !checker.getSymbolAtLocation(node.expression) && !(node.expression.text in globalThis)) {
        const name = node.expression.text;
        shape.free.add(name);
        const inScope = f.createBinaryExpression(f.createStringLiteral(name), ts.SyntaxKind.InKeyword, f.createIdentifier(SCOPE));
        return ts.setTextRange(f.createParenthesizedExpression(f.createConditionalExpression(inScope, undefined, f.createTypeOfExpression(scopeRef(name)), undefined, node)), node);
      }
      if (ts.isIdentifier(node)) {
        if (isDeclarationName(node)) return node;
        const symbol = checker.getSymbolAtLocation(node);
        if (!symbol && !(node.text in globalThis) && node.text !== 'arguments') shape.free.add(node.text);
        if (persistent(symbol)) return scopeRef(node.text, node);
        // A name nothing declares yet may be declared by a later cell: read it from the scope once
        // it is there, else look it up as a global (a ReferenceError if that fails, as it should).
        if (!symbol && isForwardRead(node)) {
          const inScope = f.createBinaryExpression(f.createStringLiteral(node.text), ts.SyntaxKind.InKeyword, f.createIdentifier(SCOPE));
          return ts.setTextRange(f.createParenthesizedExpression(f.createConditionalExpression(inScope, undefined, scopeRef(node.text, node), undefined, node)), node);
        }
        return node;
      }
      // `import(x)` in a cell: the main context has no dynamic-import loader for vm scripts, and the
      // cell's imports resolve from the notebook folder anyway, so it goes through the runtime too.
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const callee = f.createPropertyAccessExpression(f.createIdentifier(RUNTIME), 'import');
        return ts.setTextRange(f.createCallExpression(callee, undefined, node.arguments.map(visitExpr)), node);
      }
      if (ts.isShorthandPropertyAssignment(node) && persistent(checker.getShorthandAssignmentValueSymbol(node))) {
        let target: TS.Expression = scopeRef(node.name.text, node.name);
        if (node.objectAssignmentInitializer) target = f.createAssignment(target, visitExpr(node.objectAssignmentInitializer));
        return ts.setTextRange(f.createPropertyAssignment(node.name.text, target), node);
      }
      return ts.visitEachChild(node, visit, context);
    };
    const visitExpr = (node: TS.Expression): TS.Expression => visit(node) as TS.Expression;
    const withSelf = <T>(symbol: TS.Symbol | undefined, run: () => T): T => {
      const outer = self;
      self = symbol;
      try {
        return run();
      } finally {
        self = outer;
      }
    };
    const symbolOf = (name: TS.Node | undefined) => (name ? checker.getSymbolAtLocation(name) : undefined);
    const assign = (name: string, value: TS.Expression, range: TS.Node): TS.Statement => {
      shape.declared.add(name);
      return ts.setTextRange(f.createExpressionStatement(f.createAssignment(scopeRef(name, range), value)), range);
    };

    // `{ a, b: [c = 1] }` → `{ a: __wp$s.a, b: [__wp$s.c = 1] }`, the target of a destructuring assignment.
    const assignmentTarget = (name: TS.BindingName): TS.Expression => {
      if (ts.isIdentifier(name)) {
        shape.declared.add(name.text);
        return scopeRef(name.text, name);
      }
      if (ts.isObjectBindingPattern(name)) {
        return f.createObjectLiteralExpression(
          name.elements.map((el) => {
            if (el.dotDotDotToken) return f.createSpreadAssignment(assignmentTarget(el.name));
            const key = el.propertyName ? (visit(el.propertyName) as TS.PropertyName) : f.createIdentifier((el.name as TS.Identifier).text);
            const target = assignmentTarget(el.name);
            return f.createPropertyAssignment(key, el.initializer ? f.createAssignment(target, visitExpr(el.initializer)) : target);
          }),
        );
      }
      return f.createArrayLiteralExpression(
        name.elements.map((el) => {
          if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
          const target = assignmentTarget(el.name);
          if (el.dotDotDotToken) return f.createSpreadElement(target);
          return el.initializer ? f.createAssignment(target, visitExpr(el.initializer)) : target;
        }),
      );
    };

    const variable = (statement: TS.VariableStatement): TS.Statement[] => {
      const isVar = !(statement.declarationList.flags & ts.NodeFlags.BlockScoped);
      return statement.declarationList.declarations.map((decl) => {
        if (!ts.isIdentifier(decl.name)) {
          const value = decl.initializer ? visitExpr(decl.initializer) : f.createIdentifier('undefined');
          const pattern = f.createParenthesizedExpression(f.createAssignment(assignmentTarget(decl.name) as TS.ObjectLiteralExpression, value));
          return ts.setTextRange(f.createExpressionStatement(pattern), decl);
        }
        const name = decl.name.text;
        if (!decl.initializer && isVar) {
          // `var x;` again keeps the value, as in a script.
          shape.declared.add(name);
          const missing = f.createLogicalNot(f.createBinaryExpression(f.createStringLiteral(name), ts.SyntaxKind.InKeyword, f.createIdentifier(SCOPE)));
          return f.createIfStatement(missing, assign(name, f.createIdentifier('undefined'), decl));
        }
        const init = decl.initializer ? visitExpr(decl.initializer) : f.createIdentifier('undefined');
        // `{ f: () => {} }.f` keeps the name inference a binding would give (f.name === 'f').
        const value = decl.initializer && isAnonymousFunction(decl.initializer) ? f.createPropertyAccessExpression(f.createObjectLiteralExpression([f.createPropertyAssignment(name, init)]), name) : init;
        return assign(name, value, decl);
      });
    };

    const { importDeclaration, importEquals } = importRewriter(assign, visitExpr);

    // enum and namespace: evaluated in a closure whose result lands on the scope.
    const closureValue = (node: TS.EnumDeclaration | TS.ModuleDeclaration): TS.Statement[] => {
      const name = (node.name as TS.Identifier).text;
      const inner = withSelf(symbolOf(node.name), () => ts.visitEachChild(node, visit, context));
      const modifiers = (ts.getModifiers(inner) ?? []).filter((m) => m.kind === ts.SyntaxKind.ConstKeyword);
      const decl = ts.isEnumDeclaration(inner) ? f.updateEnumDeclaration(inner, modifiers, inner.name, inner.members) : f.updateModuleDeclaration(inner, modifiers, inner.name, inner.body);
      const result = f.createConditionalExpression(
        f.createStrictEquality(f.createTypeOfExpression(f.createIdentifier(name)), f.createStringLiteral('undefined')),
        undefined,
        f.createIdentifier('undefined'),
        undefined,
        f.createIdentifier(name),
      );
      const closure = f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createBlock([decl, f.createReturnStatement(result)], true));
      return [assign(name, f.createCallExpression(f.createParenthesizedExpression(closure), undefined, []), node)];
    };

    const hoisted: TS.Statement[] = [];
    const body: TS.Statement[] = [];
    const runtime = file.statements.filter((s) => !isTypeOnly(s));
    const last = runtime[runtime.length - 1];
    for (const statement of file.statements) {
      if (isTypeOnly(statement)) continue;
      if (ts.isImportDeclaration(statement)) body.push(...importDeclaration(statement));
      else if (ts.isImportEqualsDeclaration(statement)) body.push(...importEquals(statement));
      else if (ts.isExportDeclaration(statement)) continue;
      else if (ts.isExportAssignment(statement)) body.push(ts.setTextRange(f.createExpressionStatement(visitExpr(statement.expression)), statement));
      else if (ts.isVariableStatement(statement)) body.push(...variable(statement));
      else if (ts.isFunctionDeclaration(statement)) {
        const fn = withSelf(symbolOf(statement.name), () => ts.visitEachChild(statement, visit, context));
        const modifiers = (ts.getModifiers(fn) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
        const expr = f.createFunctionExpression(modifiers, fn.asteriskToken, fn.name, undefined, fn.parameters, undefined, fn.body!);
        if (fn.name) hoisted.push(assign(fn.name.text, ts.setTextRange(expr, statement), statement));
        else body.push(ts.setTextRange(f.createExpressionStatement(expr), statement));
      } else if (ts.isClassDeclaration(statement)) {
        const cls = withSelf(symbolOf(statement.name), () => ts.visitEachChild(statement, visit, context));
        const expr = ts.setTextRange(f.createClassExpression(ts.getDecorators(cls) ?? [], cls.name, cls.typeParameters, cls.heritageClauses, cls.members), statement);
        body.push(cls.name ? assign(cls.name.text, expr, statement) : f.createExpressionStatement(expr));
      } else if (ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) {
        if (ts.isIdentifier(statement.name)) body.push(...closureValue(statement));
      } else if (statement === last && ts.isExpressionStatement(statement)) {
        shape.hasResult = true;
        const value = f.createObjectLiteralExpression([f.createPropertyAssignment('value', visitExpr(statement.expression))]);
        body.push(ts.setTextRange(f.createReturnStatement(value), statement));
      } else body.push(visit(statement) as TS.Statement);
    }
    return f.updateSourceFile(file, [...hoisted, ...body]);
  };
}

/** Statements with no run-time effect: types, interfaces, ambient declarations, overloads. */
function isTypeOnly(s: TS.Statement): boolean {
  if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || isAmbient(s)) return true;
  if (ts.isFunctionDeclaration(s)) return !s.body;
  if (ts.isModuleDeclaration(s)) return !ts.isIdentifier(s.name) || !s.body;
  if (ts.isExportDeclaration(s)) return true;
  if (ts.isImportEqualsDeclaration(s)) return s.isTypeOnly;
  return ts.isImportDeclaration(s) && s.importClause?.isTypeOnly === true;
}

/** A plain read of a name that is neither declared anywhere nor a global of this process. */
function isForwardRead(node: TS.Identifier): boolean {
  if (node.text in globalThis || node.text === 'arguments' || node.text === 'undefined') return false;
  const parent = node.parent;
  if (ts.isTypeOfExpression(parent) || ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) return false;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  return !ts.isArrayLiteralExpression(parent) && !ts.isShorthandPropertyAssignment(parent) && !ts.isSpreadElement(parent) && !ts.isDeleteExpression(parent);
}

function isClassExtends(node: TS.ExpressionWithTypeArguments): boolean {
  return ts.isHeritageClause(node.parent) && node.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(node.parent.parent);
}

function isAnonymousFunction(e: TS.Expression): boolean {
  let inner = e;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner) || ts.isNonNullExpression(inner) || ts.isTypeAssertionExpression(inner)) inner = inner.expression;
  return ts.isArrowFunction(inner) || ((ts.isFunctionExpression(inner) || ts.isClassExpression(inner)) && !inner.name);
}
