// A per-origin option in the toolbar ("Provide WebSocketStream" in Firefox,
// "WebSocket over stream" in Chromium): off by default, remembered per origin,
// applied from the page's next load.
import { useEffect, useState } from 'preact/hooks';
import type { OriginOptionSetting } from '../../shim/wire/messages';
import type { OriginSetting } from '../../shim/wire/names';
import { oneLine } from '../model/format';
import { originOption } from './platform';
import './origin-switch.css';

type State = { setting: OriginOptionSetting; changed: boolean } | { error: string } | null;

export interface OriginSwitchProps {
  tabId: number;
  live: boolean;
  option: OriginSetting;
  /** `data-testid` of the checkbox. */
  testId: string;
  label: string;
  /** What turning it on does, for the tooltip; the origin follows. */
  explain: string;
}

export function OriginSwitch({ tabId, live, option, testId, label, explain }: OriginSwitchProps) {
  const [state, setState] = useState<State>(null);
  const load = (enabled?: boolean) =>
    originOption(option, tabId, enabled).then(
      (setting) => setState({ setting, changed: enabled !== undefined }),
      (error: unknown) => setState({ error: error instanceof Error ? error.message : String(error) }),
    );
  // Again whenever the connection comes back: the tab may show another origin by then.
  useEffect(() => void load(), [tabId, live]);

  if (state === null) return null;
  if ('error' in state) {
    return (
      <span class="toolbar-text dropped" role="alert" data-testid={`${testId}-error`}>
        {label}: {oneLine(state.error, 200)}
      </span>
    );
  }
  const { origin, enabled } = state.setting;
  const title =
    origin === null ? 'Reload the page to choose: Sockscope has not seen its origin yet' : `${explain} On ${oneLine(origin, 200)}, from its next load.`;
  return (
    <label class="toolbar-text toolbar-switch" title={title}>
      <input
        type="checkbox"
        data-testid={testId}
        checked={enabled}
        disabled={origin === null}
        onChange={(event) => void load((event.currentTarget as HTMLInputElement).checked)}
      />
      {label}
      {state.changed && <span class="toolbar-hint"> · reload to apply</span>}
    </label>
  );
}
