import js from '@eslint/js'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

const zone = (target, from, message) => ({ target, from, message })

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    // Imports name the compiled .js file; without the alias nothing resolves and no zone below holds.
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.json'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
        }),
      ],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // Fastify handlers are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // One copy of Kysely: its classes are checked with instanceof, so a module loading the
      // package beside the bundle would see queries and adapters it does not recognise.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kysely', message: "Import '#kysely', the bundled copy (scripts/bundle-vendor.js)" },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through config/load-config.ts',
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./src/modules', './src/http', 'Modules never import the HTTP layer'),
            zone('./src/modules', './src/views', 'Modules never import views'),
            zone('./src/modules', './src/jobs', 'Modules never import jobs'),
            zone('./src/modules', './src/cli', 'Modules never import the CLI'),
            zone('./src/modules', './src/adapters', 'Modules declare ports; main wires adapters in'),
            zone('./src/modules', './src/main', 'Modules never import composition roots'),
            zone('./src/platform', './src/modules', 'The shared kernel depends on no module'),
            zone('./src/platform', './src/adapters', 'The shared kernel depends on no adapter'),
            zone('./src/views', './src/http', 'Views render props; they do no I/O'),
            zone('./src/views', './src/adapters', 'Views render props; they do no I/O'),
            zone('./src/http', './src/main', 'The app is built from deps passed in'),
            zone('./src/http', './src/adapters/db', 'HTTP reaches the database through modules'),
            zone('./src', './newsroom', 'The server never imports the newsroom app'),
            {
              ...zone('./newsroom', './src', 'The newsroom app reaches the server only through /api'),
              // Pure and shared so the slug preview matches the server's exactly, and the
              // newsroom's revision diffs are the ones the server's unit tests check.
              except: ['./platform/slug.ts', './platform/word-diff.ts'],
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/config/load-config.ts',
      'src/main/cli.ts',
      'src/main/http-worker.ts',
      'test/**',
      'bench/**',
      'src/**/*.test.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['src/views/assets/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        document: 'readonly',
        navigator: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        Intl: 'readonly',
        Date: 'readonly',
        window: 'readonly',
      },
    },
  },
)
