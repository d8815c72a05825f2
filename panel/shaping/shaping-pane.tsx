// One socket's shaping: the page as its consumer (pause, step one message,
// a rate), what shaping holds now, live, and charts of the last minutes.
import { useState } from 'preact/hooks';
import type { PanelRule } from '../../shim/wire/messages';
import { SAMPLE_FLAGS } from '../../shim/wire/records';
import { readRule, RuleError, type Rule } from '../../shim/shaping/rule';
import { countOf, formatBytes, oneLine } from '../model/format';
import { SocketCharts } from './socket-charts';
import type { InspectedTab } from '../model/inspected-tab';
import type { SocketEntry } from '../model/store';
import './shaping-pane.css';

export interface ShapingPaneProps {
  entry: SocketEntry;
  tab: InspectedTab;
}

/** A rule this pane set: for this socket only, and only a consumer rate. */
function isConsumerRate({ rule, instance }: PanelRule, entry: SocketEntry): boolean {
  const { match, up, down, consumer, offline } = rule as Rule;
  return instance === entry.instance && match.kind === 'socket' && match.id === entry.info.id && !up && !down && !offline && consumer?.paused === false;
}

/** Whether a slow consumer of this socket holds the server back. */
function backpressure(entry: SocketEntry): string {
  const { info } = entry;
  if (info.overStream) return 'real: carried over a WebSocketStream, a slow consumer holds the server back';
  if (info.kind === 'WebSocketStream' && !info.provided) return 'real: a slow consumer holds the server back';
  return 'simulated: held messages wait in the page; the server sends at its own pace';
}

export function ShapingPane({ entry, tab }: ShapingPaneProps) {
  const [rate, setRate] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Shown anew as the socket changes (its samples come with updates).
  void entry.version.value;
  const rules = tab.rules.value;
  const { info, samples } = entry;
  const latest = (field: Parameters<NonNullable<typeof samples>['latest']>[0]) => samples?.latest(field) ?? 0;
  const flags = latest('flags');
  const paused = (flags & SAMPLE_FLAGS.consumerPaused) !== 0;
  const overridden = (flags & SAMPLE_FLAGS.consumerOverridden) !== 0;
  const open = info.readyState !== 3;
  const held: [string, string, number, number][] = [
    ['up', '↑ up link', latest('heldUp'), latest('heldUpBytes')],
    ['down', '↓ down link', latest('heldDown'), latest('heldDownBytes')],
    ['consumer', 'consumer', latest('heldConsumer'), latest('heldConsumerBytes')],
  ];

  const setConsumerRate = (event: Event) => {
    event.preventDefault();
    try {
      const rule = readRule({ match: { kind: 'socket', id: info.id }, consumer: { messagesPerSecond: rate.trim() === '' ? Number.NaN : Number(rate) } });
      const label = oneLine(`Socket ${info.url}`, 120);
      // A new rate replaces the one set here before, rather than piling up rules.
      tab.shape([...rules.filter((other) => !isConsumerRate(other, entry)), { rule, instance: entry.instance, label }]);
      setError(null);
    } catch (thrown) {
      if (!(thrown instanceof RuleError)) throw thrown;
      setError(thrown.message);
    }
  };

  return (
    <div class="shaping-pane" data-testid="shaping-pane">
      <div class="shaping-controls">
        <span class="shaping-status" data-testid="shaping-status">
          {info.shaped ? 'A shaping rule applies' : 'No shaping rule applies'} · backpressure {backpressure(entry)}
        </span>
        <span class="consumer-controls" role="group" aria-label="Consumer">
          <button type="button" class="tool-button text-button" data-testid="consumer-pause" disabled={!open} onClick={() => tab.consumer(entry, paused ? 'resume' : 'pause')}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" class="tool-button text-button" data-testid="consumer-step" disabled={!open || latest('heldConsumer') === 0} title="Hand the page one held message" onClick={() => tab.consumer(entry, 'step')}>
            Step
          </button>
          {overridden && (
            <button type="button" class="tool-button text-button" data-testid="consumer-follow-rule" disabled={!open} title="Undo your pause or resume: the socket's rule says again" onClick={() => tab.consumer(entry, 'follow-rule')}>
              Follow rule
            </button>
          )}
          <form class="consumer-rate" onSubmit={setConsumerRate}>
            <label>
              Rate
              <input class="rule-number" data-testid="consumer-rate" inputMode="decimal" value={rate} placeholder="msg/s" onInput={(event) => setRate((event.currentTarget as HTMLInputElement).value)} />
            </label>
            <button type="submit" class="tool-button text-button" data-testid="consumer-rate-set" disabled={!open} title="A rule for this socket only: it replaces broader rules for it">
              Set
            </button>
          </form>
        </span>
      </div>
      {error !== null && (
        <p class="rule-error" role="alert" data-testid="consumer-error">
          {oneLine(error, 300)}
        </p>
      )}
      {(flags & SAMPLE_FLAGS.overCap) !== 0 && (
        <p class="rule-error" role="alert" data-testid="held-over-cap">
          Shaping holds more than 64 MiB for this socket. Nothing is dropped: delivery goes on, oldest first.
        </p>
      )}
      <dl class="held-counts" data-testid="held-counts">
        {held.map(([key, label, messages, bytes]) => (
          <div key={key} data-testid={`held-${key}`} data-messages={messages}>
            <dt>{label}</dt>
            <dd>
              {countOf(messages, 'message')} · {formatBytes(bytes)}
            </dd>
          </div>
        ))}
        <div data-testid="consumer-state" data-state={paused ? 'paused' : 'reading'} data-overridden={overridden}>
          <dt>consumer</dt>
          <dd>
            {paused ? 'paused' : 'reading'}
            {overridden && ', by you (over the rule)'}
          </dd>
        </div>
      </dl>
      <SocketCharts series={samples} />
    </div>
  );
}
