import { readdirSync, readFileSync } from 'node:fs';
import nx from '@nx/eslint-plugin';

// Tags encode the dependency direction of DESIGN.md:
// apps -> feature -> data-access -> contracts. `util` holds self-contained
// libraries (the ASL runtime); `tool` holds launchers, sandboxes and scripts.
// `local-aws` is the product-blind emulation of AWS: only apps compose it (the local
// stack, the api's tests), no product library imports it and it imports none of them.
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contracts', 'type:util', 'type:tool', 'type:local-aws'],
  },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:local-aws', onlyDependOnLibsWithTags: ['type:util', 'type:local-aws'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util', 'type:tool'] },
  { sourceTag: 'type:load-tests', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:tool'] },
];

// Tests may also use the test harness tools (DynamoDB Local launcher, payment sandboxes).
// Load tests' tests may also stand up local AWS services (a Cognito endpoint) to test their AWS clients against.
const testDepConstraints = depConstraints.map((c) =>
  c.sourceTag === 'type:app' || c.sourceTag === 'type:tool'
    ? c
    : {
        ...c,
        onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:tool', ...(c.sourceTag === 'type:load-tests' ? ['type:local-aws'] : [])],
      },
);

const boundaries = (constraints) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      banTransitiveDependencies: false,
      depConstraints: constraints,
    },
  ],
});

const testFiles = ['**/*.test.ts', '**/vitest.config.ts', '**/test/**/*.ts'];

// Apps publish no entry point ("exports"), so the Nx rule cannot resolve an import of one
// by package name and would let it pass. Ban app packages by name outside apps/.
const appsDir = new URL('./apps/', import.meta.url);
const appPackages = readdirSync(appsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    try {
      return [JSON.parse(readFileSync(new URL(`${entry.name}/package.json`, appsDir), 'utf8')).name];
    } catch {
      return [];
    }
  });

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/node_modules', '**/dist', '**/out-tsc', '**/cdk.out', '**/.cache', '**/.data', '**/.nx', '**/coverage'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      ...boundaries(depConstraints),
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: testFiles,
    rules: boundaries(testDepConstraints),
  },
  {
    files: ['libs/**/*.{ts,js,mjs}', 'tools/**/*.{ts,js,mjs}', 'load-tests/**/*.{ts,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: appPackages.flatMap((name) => [name, `${name}/*`]),
              message: 'Imports of apps are forbidden: dependencies point apps -> libs, never back (DESIGN.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // k6 scripts run in k6's own JavaScript runtime, not Node.
    files: ['load-tests/k6/**/*.js'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
];
