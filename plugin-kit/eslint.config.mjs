// The monorepo's rules plus React's hook rules, for the kit and the plugins that bundle it. The plugins' scaffolded
// .config/eslint.config.mjs is not used: @grafana/eslint-config needs eslint-plugin-react, which does not support
// the ESLint 10 the monorepo runs.
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import monorepo from '../eslint.config.mjs';

export default [
  ...monorepo,
  {
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  { languageOptions: { globals: { ...globals.browser } } },
];
