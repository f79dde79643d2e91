// ESLint 9 flat config. Besides typescript-eslint's recommended rules, it ENFORCES the one-way
// layers of DESIGN §2: schema/ <- reconciler/ <- drivers/ <- cli/, and native/ only through
// reconciler/host/. A layer rule names the folders a file may not import from.
import tseslint from 'typescript-eslint';

const layer = (name) => ({ group: [`**/${name}/**`, `**/${name}/*`, `**/${name}`], message: `layering (DESIGN §2): this folder may not import from ${name}/` });

/** `no-restricted-imports` for files of one folder, forbidding the given folders. */
const forbid = (files, folders, ignores = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': ['error', { patterns: folders.map(layer) }],
    '@typescript-eslint/no-restricted-imports': 'off',
  },
});

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'structuredClone', 'performance', 'TextEncoder', 'TextDecoder'].map((g) => [g, 'readonly']),
);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'native/build/**', 'bench/out/**', 'coverage/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: nodeGlobals },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/consistent-type-imports': 'warn',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // the layers
  forbid(['schema/**'], ['reconciler', 'drivers', 'cli', 'native']),
  forbid(['reconciler/**'], ['drivers', 'cli', 'native'], ['reconciler/host/**']),
  forbid(['reconciler/host/**'], ['drivers', 'cli']),
  forbid(['drivers/**'], ['cli', 'native']),
  forbid(['cli/**'], ['native']),
);
