import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// src/ is what ships; the kits and the suites that tests share live in test/ (test/kits/, test/suites/).
// Nothing under src/ but its own tests reads them (test/layout.test.ts also walks the real imports).
// The engine and the shared vocabulary refuse them through their own, narrower rules below.
const shippedCode = {
  files: ['src/**/*.{ts,tsx}'],
  ignores: ['src/**/*.test.{ts,tsx}'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+test/', message: 'Code that ships never imports test/ (kits and suites are for tests only).' }] }],
  },
};

// The engine is deterministic: time and randomness come in as arguments. These rules make
// the linter refuse any way of reading the clock, randomness or the process from src/engine/.
const engineDeterminism = {
  files: ['src/engine/**/*.ts', 'src/shared/**/*.ts', 'test/kits/engine/**/*.ts'],
  rules: {
    'no-restricted-properties': [
      'error',
      { object: 'Math', property: 'random', message: 'The engine takes randomness as an argument.' },
      { object: 'Date', property: 'now', message: 'The engine takes `now` from the command context.' },
      { object: 'performance', property: 'now', message: 'The engine never reads the clock.' },
      { object: 'process', message: 'The engine never reads the process or its environment.' },
      { object: 'crypto', message: 'The engine takes ids and randomness as arguments.' },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'performance', message: 'The engine never reads the clock.' },
      { name: 'process', message: 'The engine never reads the process or its environment.' },
      { name: 'crypto', message: 'The engine takes ids and randomness as arguments.' },
      { name: 'setTimeout', message: 'The engine has no timers; time comes in as `now`.' },
      { name: 'setInterval', message: 'The engine has no timers; time comes in as `now`.' },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: '`new Date()` reads the clock; pass `now` in.' },
      { selector: "CallExpression[callee.name='Date']", message: '`Date()` reads the clock; pass `now` in.' },
    ],
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: '^(node:|\\.\\./(?!engine/|shared/vocabulary\\.ts$))', message: 'The engine imports nothing outside src/engine/ but the shared vocabulary.' }] },
    ],
  },
};

// The engine's tests read their kit (test/kits/engine/), which plays commands on the engine and nothing else;
// the kit itself is held to the engine's rules above, reading only src/engine/.
const engineTestKit = [
  {
    files: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(node:|\\.\\./(?!engine/|shared/vocabulary\\.ts$|\\.\\./test/kits/engine/))', message: 'The engine\'s tests import nothing outside src/engine/ but the shared vocabulary and test/kits/engine/.' }] },
      ],
    },
  },
  {
    files: ['test/kits/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(node:|\\.\\./(?!\\.\\./\\.\\./src/engine/))', message: 'The engine\'s kit imports nothing outside src/engine/ and test/kits/engine/.' }] },
      ],
    },
  },
];

// The shared vocabulary (src/shared/) is read by the engine and the browser alike: it imports nothing.
const sharedVocabulary = {
  files: ['src/shared/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'The shared vocabulary imports nothing outside src/shared/.' }] }],
  },
};

// The browser shares only the vocabulary with the server, and reads the API's schemas as types: never
// the engine, the service or the store (their code would be bundled into the page, and their changes
// would reach it unseen).
const webBoundary = {
  files: ['src/web/**/*.{ts,tsx}'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['**/engine/*', '**/service/*', '**/store/*', '**/sim/*', '**/cli/*', '**/access/*', '**/time/*', 'node:*'], message: 'The web desk imports only src/shared/ from the server side.' },
          { group: ['**/api/*'], allowTypeImports: true, message: 'The web desk reads the API schemas as types only (import type).' },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', 'data/', 'dist/', 'test/screenshots/', 'reports/', '.stryker-tmp/', '.stryker-tmp-service/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  shippedCode,
  engineDeterminism,
  ...engineTestKit,
  sharedVocabulary,
  webBoundary,
  // The web desk runs in the browser: its globals, and React's rules of hooks.
  {
    files: ['src/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: {
      globals: {
        window: 'readonly', document: 'readonly', fetch: 'readonly', EventSource: 'readonly', URLSearchParams: 'readonly',
        HTMLDialogElement: 'readonly', HTMLInputElement: 'readonly', MessageEvent: 'readonly', Response: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly',
      },
    },
  },
);
