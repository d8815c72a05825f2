// The panel's shaping in the toolbar: presets for every socket of the tab, an
// editor for custom rules (shaping and intercept rules: every socket, by URL,
// or one socket), a clear indicator while any applies, and one click to turn
// them all off. Rules are kept by the background, so they survive the panel
// closing and the page reloading.
import type { ReadonlySignal } from '@preact/signals';
import { useState } from 'preact/hooks';
import type { PanelRule } from '../../shim/wire/messages';
import { readRule, type Rule } from '../../shim/shaping/rule';
import { isInterceptInput } from '../../shim/talk-back/intercept-rule';
import { RuleEditor } from './rule-editor';
import { EVERY_SOCKET } from './rule-scope';
import type { InspectedTab } from '../model/inspected-tab';
import type { SocketEntry } from '../model/store';
import './shaping-bar.css';

export interface Preset {
  id: string;
  label: string;
  /** What it does, for the tooltip. */
  title: string;
  rule: Omit<Rule, 'match'>;
}

const link = (latencyMs: number, jitterMs: number, bytesPerSecond: number) => ({ latencyMs, jitterMs, bytesPerSecond, messagesPerSecond: 0 });

export const PRESETS: Preset[] = [
  {
    id: 'slow-mobile',
    label: 'Slow mobile',
    title: '400 ms each way, 50 KB/s down, 20 KB/s up',
    rule: { up: link(400, 0, 20_000), down: link(400, 0, 50_000), consumer: null, offline: null },
  },
  {
    id: 'flaky',
    label: 'Flaky link',
    title: '200 ms each way, varying by up to 150 ms',
    rule: { up: link(200, 150, 0), down: link(200, 150, 0), consumer: null, offline: null },
  },
  { id: 'stalled', label: 'Stalled', title: 'Nothing moves either way; the connections stay open', rule: { up: null, down: null, consumer: null, offline: 'stall' } },
  {
    id: 'slow-consumer',
    label: 'Slow consumer',
    title: 'The page takes 2 messages a second; the rest wait',
    rule: { up: null, down: null, consumer: { messagesPerSecond: 2, paused: false }, offline: null },
  },
];

/** The rules a preset sets, checked as the shim will read them. */
export const presetRules = (preset: Preset): PanelRule[] => [
  { rule: readRule({ match: EVERY_SOCKET, ...preset.rule }), instance: null, label: preset.label },
];

/** The tab's shaping rules, or its intercept rules (breakpoints among them). */
export const shapingRules = (rules: readonly PanelRule[]): PanelRule[] => rules.filter(({ rule }) => !isInterceptInput(rule));
const interceptRules = (rules: readonly PanelRule[]): PanelRule[] => rules.filter(({ rule }) => isInterceptInput(rule));

/** Which preset the shaping rules are, '' for none, 'custom' for anything else (intercept rules aside). */
export function presetOf(rules: PanelRule[]): string {
  const shaping = shapingRules(rules);
  if (shaping.length === 0) return '';
  const text = JSON.stringify(shaping);
  return PRESETS.find((preset) => JSON.stringify(presetRules(preset)) === text)?.id ?? 'custom';
}

export interface ShapingBarProps {
  tab: InspectedTab;
  /** The socket selected in the panel, which a custom rule may target. */
  selected: ReadonlySignal<SocketEntry | undefined>;
}

export function ShapingBar({ tab, selected }: ShapingBarProps) {
  const [editing, setEditing] = useState(false);
  const rules = tab.rules.value;
  const onShape = (next: PanelRule[]) => tab.shape(next);
  const current = presetOf(rules);
  const choose = (id: string) => {
    if (id === 'custom') return setEditing(true);
    // A preset stands for the shaping rules; intercept rules and breakpoints stay.
    const preset = PRESETS.find((p) => p.id === id);
    onShape([...(preset ? presetRules(preset) : []), ...interceptRules(rules)]);
  };
  return (
    <span class="shaping-bar">
      <label class="toolbar-text toolbar-switch" title="Shape every socket of this tab: applies at once and to pages loaded later">
        Shaping
        <select data-testid="shaping-preset" value={current} onChange={(event) => choose((event.currentTarget as HTMLSelectElement).value)}>
          <option value="">Off</option>
          {PRESETS.map((preset) => (
            <option key={preset.id} value={preset.id} title={preset.title}>
              {preset.label}
            </option>
          ))}
          <option value="custom">{current === 'custom' ? `Custom (${shapingRules(rules).length})` : 'Custom…'}</option>
        </select>
      </label>
      <button type="button" class="tool-button text-button" data-testid="shaping-edit" title="Custom rules (shaping, drop, rewrite, reply): every socket, by URL, or one socket" onClick={() => setEditing(true)}>
        Edit…
      </button>
      {rules.length > 0 && (
        <button type="button" class="shaping-on" data-testid="shaping-off" title="Rules are on (shaping and intercepting): turn them all off" onClick={() => onShape([])}>
          Shaped · off
        </button>
      )}
      {editing && <RuleEditor rules={rules} onShape={onShape} selected={selected.value} onClose={() => setEditing(false)} />}
    </span>
  );
}
