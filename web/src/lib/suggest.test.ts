// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { providerLabel, suggestQuestions } from './suggest';

describe('providerLabel', () => {
  it('names the built-in analyst, else the model', () => {
    expect(providerLabel({ name: 'builtin' })).toBe('Built-in analyst');
    expect(providerLabel({ name: 'anthropic', model: 'claude-sonnet-4-5' })).toBe('claude-sonnet-4-5');
    expect(providerLabel({ name: 'openai' })).toBe('openai');
    expect(providerLabel(undefined)).toBe('');
  });
});

describe('suggestQuestions', () => {
  it('builds questions from real columns', () => {
    const q = suggestQuestions({
      columns: ['order_id', 'region', 'price', 'order_date'],
      column_types: ['BIGINT', 'VARCHAR', 'DOUBLE', 'DATE'],
      preview: [
        { region: 'North', price: 1 },
        { region: 'South', price: 2 },
        { region: 'North', price: 3 },
      ],
    });
    expect(q[0]).toBe('Average price by region');
    expect(q).toContain('Price over time');
    expect(q.at(-1)).toBe('SELECT * FROM data LIMIT 10');
    expect(q.length).toBeLessThanOrEqual(4);
  });
});
