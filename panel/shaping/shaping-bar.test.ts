import { describe, expect, it } from 'vitest';
import { PRESETS, presetOf, presetRules, shapingRules } from './shaping-bar';

describe('shaping presets', () => {
  it('each is a valid rule for every socket, and is recognised again from its rules', () => {
    for (const preset of PRESETS) {
      const rules = presetRules(preset);
      expect(rules).toHaveLength(1);
      expect(presetOf(JSON.parse(JSON.stringify(rules)))).toBe(preset.id);
    }
  });

  it('no rules are "off"; other rules are "custom"', () => {
    expect(presetOf([])).toBe('');
    const rule = { match: { kind: 'url', value: '/chat' }, up: null, down: null, consumer: null, offline: 'stall' };
    expect(presetOf([{ rule, instance: null, label: 'Custom' }])).toBe('custom');
  });

  it('intercept rules and breakpoints are no shaping: a preset is recognised beside them', () => {
    const breakpoint = { rule: { match: '/chat', direction: 'send', action: 'pause' }, instance: null, label: 'Breakpoint' };
    expect(presetOf([breakpoint])).toBe('');
    expect(presetOf([...presetRules(PRESETS[0]), breakpoint])).toBe(PRESETS[0].id);
    expect(shapingRules([breakpoint, ...presetRules(PRESETS[0])])).toEqual(presetRules(PRESETS[0]));
  });
});
