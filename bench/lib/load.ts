/** autocannon, bounded and on loopback, reduced to the few numbers the bench table shows. */
import autocannon from 'autocannon';
import type { MachineCpu } from './machineCpu.js';

export interface Sample {
  /** 2xx answers per second. */
  rps: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx, plus connection errors and timeouts: a measured path must not fail. */
  failures: number;
  /**
   * CPU time the measured process spent per answer (user + system, all its threads, µs): unlike
   * req/s it hardly moves with the machine's load, so its ratio is the steadier one (bench/run.ts).
   */
  cpuUs?: number;
  /** The whole machine's CPU per answer and its split by process (machineCpu.ts). */
  machineCpu?: MachineCpu;
}

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: { body?: string; headers?: Record<string, string> }) => unknown;
  onResponse?: (status: number, body: string) => void;
}

export const CONNECTIONS = 10;

export async function load(url: string, request: LoadRequest, seconds: number): Promise<Sample> {
  const origin = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(origin.hostname)) throw new Error('the bench only loads loopback targets');
  const result = await autocannon({
    url: origin.origin,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    // autocannon calls setupRequest/onResponse when the key is present, even when undefined.
    requests: [Object.fromEntries(Object.entries({ method: 'GET', ...request }).filter(([, v]) => v !== undefined))],
  });
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
