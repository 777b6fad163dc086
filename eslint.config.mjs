import nx from '@nx/eslint-plugin';

// Tags encode the dependency direction of DESIGN.md:
// apps -> feature -> data-access -> contracts. `util` holds self-contained
// libraries (the ASL runtime); `tool` holds launchers, sandboxes and scripts.
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contracts', 'type:util', 'type:tool'],
  },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util', 'type:tool'] },
  { sourceTag: 'type:load-tests', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:tool'] },
];

// Tests may also use the test harness tools (DynamoDB Local launcher, payment sandboxes).
const testDepConstraints = depConstraints.map((c) =>
  c.sourceTag === 'type:app' || c.sourceTag === 'type:tool'
    ? c
    : { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:tool'] },
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
    // k6 scripts run in k6's own JavaScript runtime, not Node.
    files: ['load-tests/k6/**/*.js'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
];
