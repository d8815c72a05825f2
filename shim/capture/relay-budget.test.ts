import { describe, expect, it } from 'vitest';
import { RelayBudget } from './relay-budget';

describe('RelayBudget', () => {
  it('grants up to the burst at once, then the rate over time', () => {
    let now = 0;
    const budget = new RelayBudget(1000, 500, () => now);
    expect(budget.take(400)).toBe(true);
    expect(budget.take(200)).toBe(false); // 100 left; a refusal spends nothing
    expect(budget.take(100)).toBe(true);
    now += 250; // +250
    expect(budget.take(300)).toBe(false);
    expect(budget.take(250)).toBe(true);
    now += 10_000; // refills to the burst, not beyond
    expect(budget.take(501)).toBe(false);
    expect(budget.take(500)).toBe(true);
  });
});
