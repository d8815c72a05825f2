// Sockets the browser opened that no Sockscope shim reported (a worker's,
// for one): listed below the socket list, marked as not instrumented, each
// with its URL and how its handshake went. Their messages cannot be shown.
import { formatCount, oneLine } from '../model/format';
import { handshakeOutcome, uninstrumented } from '../model/handshakes';
import type { LogStore } from '../model/store';
import './uninstrumented.css';

/** Rows shown; the rest are counted. */
const SHOWN = 50;
const URL_CHARS = 2048;

export function Uninstrumented({ store }: { store: LogStore }) {
  const list = uninstrumented([...store.handshakes.value.values()], store.socketList.value.map((entry) => entry.info));
  if (list.length === 0) return null;
  return (
    <section class="uninstrumented" data-testid="uninstrumented" aria-label="Sockets Sockscope does not instrument">
      <h2 class="uninstrumented-title" title="The browser opened these sockets, but no Sockscope shim reported them: a worker's sockets, for one. Their messages cannot be shown.">
        Not instrumented ({formatCount(list.length)})
      </h2>
      <ul class="uninstrumented-list">
        {list.slice(-SHOWN).map((handshake) => (
          <li key={handshake.requestId} class="uninstrumented-row" data-testid="uninstrumented-row" title="Seen by the network only: Sockscope does not instrument this socket">
            <span class="uninstrumented-url">{oneLine(handshake.url, URL_CHARS)}</span>
            <span class="badge">{handshakeOutcome(handshake)}</span>
          </li>
        ))}
      </ul>
      {list.length > SHOWN && <p class="uninstrumented-more">and {formatCount(list.length - SHOWN)} earlier</p>}
    </section>
  );
}
