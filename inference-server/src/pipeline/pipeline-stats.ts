const WINDOW_MS = 60_000;
const LATENCY_SAMPLES = 4096;

/** Throughput over the last minute and image-to-verdict latency percentiles over recent predictions. */
export class PipelineStats {
  private classifiedAt: number[] = [];
  private latencies: number[] = [];

  recordClassified(latenciesMs: number[], now = Date.now()): void {
    for (let i = 0; i < latenciesMs.length; i++) this.classifiedAt.push(now);
    this.latencies.push(...latenciesMs);
    if (this.latencies.length > LATENCY_SAMPLES)
      this.latencies.splice(0, this.latencies.length - LATENCY_SAMPLES);
    this.forgetBefore(now - WINDOW_MS);
  }

  private forgetBefore(cutoff: number) {
    let drop = 0;
    while (drop < this.classifiedAt.length && this.classifiedAt[drop]! < cutoff) drop++;
    if (drop) this.classifiedAt.splice(0, drop);
  }

  throughput(now = Date.now()) {
    this.forgetBefore(now - WINDOW_MS);
    return {
      classifiedLastMinute: this.classifiedAt.length,
      imagesPerSecond: this.classifiedAt.length / (WINDOW_MS / 1000),
    };
  }

  latency() {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null;
    return { p50: at(0.5), p99: at(0.99), samples: sorted.length };
  }
}
