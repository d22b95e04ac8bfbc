import { describe, expect, it } from 'vitest';
import { refreshBufferMs, refreshDelayMs } from '../src/index.js';

const s = 1000;
const min = 60 * s;

describe('refreshBufferMs', () => {
  it('short lifetimes (< 5 min): 25% of the lifetime', () => {
    expect(refreshBufferMs(60 * s)).toBe(15 * s);
    expect(refreshBufferMs(4 * min)).toBe(60 * s);
  });

  it('short lifetimes: at least 5 s', () => {
    expect(refreshBufferMs(3 * s)).toBe(5 * s);
    expect(refreshBufferMs(19_999)).toBe(5 * s);
    // boundary: 25% of 20 s is exactly the floor; one step above, the percentage wins
    expect(refreshBufferMs(20 * s)).toBe(5 * s);
    expect(refreshBufferMs(20_004)).toBe(5_001);
  });

  it('switches from 25% to 10% at exactly 5 min', () => {
    expect(refreshBufferMs(5 * min - 1)).toBe(75 * s); // 74 999.75 ms rounded
    expect(refreshBufferMs(5 * min)).toBe(30 * s);
  });

  it('long lifetimes (>= 5 min): 10% of the lifetime', () => {
    expect(refreshBufferMs(15 * min)).toBe(90 * s);
    expect(refreshBufferMs(49 * min)).toBe(294 * s);
  });

  it('long lifetimes: at most 5 min', () => {
    expect(refreshBufferMs(50 * min)).toBe(5 * min); // boundary: 10% is exactly the cap
    expect(refreshBufferMs(50 * min + 10)).toBe(5 * min);
    expect(refreshBufferMs(24 * 60 * min)).toBe(5 * min);
  });

  it('long lifetimes: the 10 s floor is never reached past the 5 min cut-over', () => {
    // 10% of the smallest long lifetime is 30 s, so the floor holds trivially.
    expect(refreshBufferMs(5 * min)).toBeGreaterThanOrEqual(10 * s);
  });
});

describe('refreshDelayMs', () => {
  it('is lifetime minus buffer', () => {
    expect(refreshDelayMs(15 * min)).toBe(15 * min - 90 * s);
    expect(refreshDelayMs(60 * s)).toBe(45 * s);
    expect(refreshDelayMs(10 * s)).toBe(5 * s);
  });

  it('never less than half the lifetime, so tiny lifetimes cannot refresh in a loop', () => {
    expect(refreshDelayMs(3 * s)).toBe(1500);
    expect(refreshDelayMs(8 * s)).toBe(4 * s);
  });
});
