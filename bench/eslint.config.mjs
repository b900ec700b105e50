// ESLint 9 flat config for the ESLint contender of `npm run bench`: the typescript-eslint parser
// (no type information) with the two core rules closest to what lmi-audit checks per file.
// Used with `--config <this file> --no-config-lookup`, ESLint run from the corpus directory.
import tseslint from 'typescript-eslint';

export default [
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 'latest',
      sourceType: 'module',
    },
    rules: {
      'require-atomic-updates': 'error',
      'no-restricted-syntax': ['error', { selector: 'Program > VariableDeclaration[kind="let"]', message: 'module-level let' }],
    },
  },
];
