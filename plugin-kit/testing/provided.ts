import type { HydraServerInfo } from './hydraServer';

// What global setup hands to test files through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    hydra: HydraServerInfo;
  }
}

export type { HydraServerInfo };
