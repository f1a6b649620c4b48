import type { TokensRepository } from '../catalog/repositories/tokens-repository.ts';

/** A token's last use is recorded at most this often (per replica): `lastUsedAt` is right to the minute. */
const RECORD_INTERVAL_MS = 60_000;

/** Records when tokens are used without a catalog write on every request: at most once a minute per token. */
export class TokenUse {
  private readonly recordedAt = new Map<number, number>();

  constructor(private readonly tokens: TokensRepository) {}

  used(tokenId: number, now = Date.now()): void {
    const recorded = this.recordedAt.get(tokenId);
    if (recorded !== undefined && now - recorded < RECORD_INTERVAL_MS) return;
    this.recordedAt.set(tokenId, now);
    // A write that fails is tried again at the token's next use.
    void this.tokens.touch(tokenId, now).catch(() => this.recordedAt.delete(tokenId));
  }
}
