// One lint configuration for every workspace: type-aware typescript-eslint plus the project's own rules
// (no console in services, no process.env outside each app's config module).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.turbo/**',
      '**/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.ts'],
          defaultProject: 'tsconfig.base.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read the environment only in the app config module (src/config.ts).',
        },
      ],
    },
  },
  {
    // Places allowed to read the environment: each app's config module, the telemetry package's
    // OTEL_* reader, and test/benchmark/tooling code.
    files: [
      'apps/*/src/config.ts',
      'packages/telemetry/src/otel-env.ts',
      '**/*.test.ts',
      '**/test/**',
      '**/bench/**',
      '**/scripts/**',
      'packages/testing/**',
      '**/vitest.config.ts',
      '*.js',
      '*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Command-line entry points, benchmarks and tests may print.
    files: [
      '**/*.test.ts',
      '**/test/**',
      '**/bench/**',
      '**/scripts/**',
      '**/src/cli.ts',
      '**/bin/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/test/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
