#!/usr/bin/env node
// Runs the TypeScript sources directly: tsx registers its loader here, and worker threads get it via execArgv.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
