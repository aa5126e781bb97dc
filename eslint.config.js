// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.windowpane/**', '.venv/**', 'extensions/**/lib/**', 'extensions/**/node_modules/**', 'extensions/**/labextension/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The library never reaches into the kernel, the extension or the tests.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/kernel/**', '**/extensions/**', '**/test/**'], message: 'src/ must not depend on kernel/, extensions/ or test/.' }] }],
    },
  },
  {
    // The engine is told what its host knows (run defaults), it never reaches for the edges that know it.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/kernel/**', '**/extensions/**', '**/test/**'], message: 'src/ must not depend on kernel/, extensions/ or test/.' },
            { group: ['**/runner/**', '**/cli/**', '**/jupyter/**', '**/notebook/**'], message: 'src/engine must not depend on the runner, the CLI, Jupyter or the notebook host: take what they know as options or run defaults.' },
          ],
        },
      ],
    },
  },
  {
    // Every error thrown to a user is a typed WindowpaneError with a catalogue message (src/errors.ts, src/messages.ts).
    files: ['src/**/*.ts', 'kernel/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ThrowStatement > NewExpression[callee.name=/^(Error|TypeError|RangeError)$/]", message: 'Throw a WindowpaneError subclass with a messages.ts text (InternalError for a broken invariant).' },
        { selector: "CallExpression[callee.property.name='reject'] > NewExpression[callee.name=/^(Error|TypeError|RangeError)$/]", message: 'Reject with a WindowpaneError subclass with a messages.ts text.' },
        { selector: "CallExpression[callee.name='reject'] > NewExpression[callee.name=/^(Error|TypeError|RangeError)$/]", message: 'Reject with a WindowpaneError subclass with a messages.ts text.' },
      ],
    },
  },
  {
    // The chart wire protocol and the view feed are compiled into the browser extension too: they stand alone.
    files: ['src/chart/protocol.ts', 'src/chart/arrow.ts', 'src/chart/domains.ts', 'src/chart/feed.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!(vega|apache-arrow|\\./(protocol|arrow|domains)\\.js)$)', message: 'src/chart/protocol.ts, arrow.ts, domains.ts and feed.ts are shared with the JupyterLab extension: they import nothing but Vega, Apache Arrow and each other.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
