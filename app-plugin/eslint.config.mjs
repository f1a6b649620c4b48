// The kit's rules (the monorepo's plus React's hook rules), shared by every plugin that bundles it.
import globals from 'globals';
import pluginKit from '@hydra/plugin-kit/eslint.config.mjs';

export default [
  ...pluginKit,
  // The scaffold's prettier config is CommonJS.
  {
    files: ['.prettierrc.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
