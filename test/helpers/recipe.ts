/**
 * Recipes of docs/architecture.md followed for real: a recipe is a list of text edits to src/, and
 * typeErrors() type-checks src/ with some of them applied, in memory. A recipe test adds a toy member
 * of a union (a window kind, a sink, a live format) and checks that the member alone fails to compile
 * in exactly the recipe's files, and that the whole recipe compiles.
 */
import assert from 'node:assert/strict';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Step {
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), { noEmit: true }, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
});
assert.ok(config, 'tsconfig.json parses');
const srcFiles = config.fileNames.filter((f) => resolve(f).startsWith(join(root, 'src') + sep));
const parsed = new Map<string, ts.SourceFile>();

function patched(steps: readonly Step[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of steps) {
    const path = join(root, s.file);
    const text = files.get(path) ?? ts.sys.readFile(path) ?? assert.fail(`${s.file} is missing`);
    assert.equal(text.split(s.find).length - 1, 1, `recipe step for ${s.file} no longer applies (update it with the code): ${s.find}`);
    files.set(path, text.replace(s.find, () => s.replace));
  }
  return files;
}

/** Type errors per file (relative to the repository) of src/ with `steps` applied, over `check` files (default: all of src/). */
export function typeErrors(steps: readonly Step[], check?: readonly string[]): Map<string, string[]> {
  const texts = patched(steps);
  const host = ts.createCompilerHost(config!.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError) => {
    const text = texts.get(resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, language);
    let sf = parsed.get(fileName);
    if (!sf) {
      sf = read(fileName, language, onError);
      if (sf) parsed.set(fileName, sf);
    }
    return sf;
  };
  const program = ts.createProgram({ rootNames: srcFiles, options: config!.options, host });
  const errors = new Map<string, string[]>();
  for (const f of check?.map((c) => join(root, c)) ?? srcFiles) {
    const sf = program.getSourceFile(f) ?? assert.fail(`${f} is not in the program`);
    const found = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    if (found.length > 0) errors.set(relative(root, f).split(sep).join('/'), found.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')));
  }
  return errors;
}

/**
 * Follows a recipe whose first step adds the toy member: that step alone fails to compile in each
 * file the later steps edit (so the compiler names every place), and the whole recipe type-checks.
 */
export function followRecipe(recipe: readonly Step[]): void {
  const files = [...new Set(recipe.slice(1).map((s) => s.file))].sort();
  const unhandled = typeErrors(recipe.slice(0, 1), files);
  assert.deepEqual([...unhandled.keys()].sort(), files, `files that must handle the new member: ${JSON.stringify([...unhandled], null, 1)}`);
  assert.deepEqual([...typeErrors(recipe)], [], 'with the recipe applied src/ type-checks');
}
