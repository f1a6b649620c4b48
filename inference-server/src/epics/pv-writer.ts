/** What the outcome of one Channel Access put is recorded as. */
export interface PutOutcome {
  pv: string;
  value: number | string;
  ok: boolean;
  /** Why it failed: not configured, disconnected, timeout, no such PV, ... */
  error?: string;
  at: number;
}

/**
 * Writes process variables. The EPICS plugin decorates `fastify.epics` with one; when EPICS is not configured
 * it is a writer whose puts fail with the reason, so callers record the outcome and never branch on it.
 */
export interface PvWriter {
  readonly enabled: boolean;
  /** Resolves with the outcome once the IOC confirmed the put or it failed; never rejects. */
  put(pv: string, value: number | string): Promise<PutOutcome>;
}
