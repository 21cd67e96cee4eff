import { Counter, Gauge } from 'prom-client';
import type { ResponseCache } from '../llm/cache';
import { registry } from '../runs/run-metrics';

/** The HTTP side of the process's metrics (the registry and the run counters are in src/runs/run-metrics.ts). */
const registers = [registry];

export const httpRequests = new Counter({
  name: 'mockforge_http_requests_total',
  help: 'GraphQL requests, by operation name and HTTP status.',
  labelNames: ['operation', 'status'] as const,
  registers,
});

/** The LLM cache's lookups since the process started (read when scraped). */
export function watchCache(cache: ResponseCache): void {
  for (const [name, pick] of [
    ['mockforge_llm_cache_hits_total', (s: { hits: number }) => s.hits],
    ['mockforge_llm_cache_misses_total', (s: { misses: number }) => s.misses],
  ] as const) {
    registry.removeSingleMetric(name);
    new Gauge({
      name,
      help: `LLM cache ${name.includes('hits') ? 'hits' : 'misses'} since the process started.`,
      registers,
      async collect() {
        this.set(pick(await cache.stats()));
      },
    });
  }
}
