// "Provide WebSocketStream": in a browser without it (Firefox), Sockscope can
// supply one to the inspected origin's pages from their next load. Off by
// default: a page that feature-detects WebSocketStream changes course.
import { useEffect, useState } from 'preact/hooks';
import type { ProvideSetting } from '../shim/protocol';
import { oneLine } from './format';
import { provideSetting } from './platform';

type State = { setting: ProvideSetting; changed: boolean } | { error: string } | null;

export function ProvideSwitch({ tabId, live }: { tabId: number; live: boolean }) {
  const [state, setState] = useState<State>(null);
  const load = (enabled?: boolean) =>
    provideSetting(tabId, enabled).then(
      (setting) => setState({ setting, changed: enabled !== undefined }),
      (error: unknown) => setState({ error: error instanceof Error ? error.message : String(error) }),
    );
  // Again whenever the connection comes back: the tab may show another origin by then.
  useEffect(() => void load(), [tabId, live]);

  if (state === null) return null;
  if ('error' in state) {
    return (
      <span class="toolbar-text dropped" role="alert" data-testid="provide-error">
        Provide WebSocketStream: {oneLine(state.error, 200)}
      </span>
    );
  }
  const { origin, enabled } = state.setting;
  const title =
    origin === null
      ? 'Reload the page to choose: Sockscope has not seen its origin yet'
      : `Supply WebSocketStream, which this browser lacks, to ${oneLine(origin, 200)} from its next load. Sending backpressure is real; receive backpressure is simulated.`;
  return (
    <label class="toolbar-text toolbar-switch" title={title}>
      <input
        type="checkbox"
        data-testid="provide-websocket-stream"
        checked={enabled}
        disabled={origin === null}
        onChange={(event) => void load((event.currentTarget as HTMLInputElement).checked)}
      />
      Provide WebSocketStream
      {state.changed && <span class="toolbar-hint"> · reload to apply</span>}
    </label>
  );
}
