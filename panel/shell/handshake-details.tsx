// The selected socket's opening handshake as the network saw it: how it
// went, and the request's and the response's headers. Shown when the
// background saw it (a socket from before the panel's worker last started
// may have none).
import type { Header } from '../../shim/wire/messages';
import { handshakeOf, handshakeOutcome } from '../model/handshakes';
import { oneLine } from '../model/format';
import type { LogStore, SocketEntry } from '../model/store';

const VALUE_CHARS = 300;

export function HandshakeDetails({ entry, store }: { entry: SocketEntry; store: LogStore }) {
  const handshake = handshakeOf(store.handshakes.value.values(), entry.info);
  if (!handshake) return null;
  return (
    <details class="handshake" data-testid="handshake">
      <summary>
        Handshake: <span data-testid="handshake-outcome">{handshakeOutcome(handshake)}</span>
      </summary>
      <Headers title="Request headers" headers={handshake.requestHeaders} testId="handshake-request" />
      <Headers title="Response headers" headers={handshake.responseHeaders} testId="handshake-response" />
    </details>
  );
}

function Headers({ title, headers, testId }: { title: string; headers: Header[]; testId: string }) {
  if (headers.length === 0) return null;
  return (
    <dl class="handshake-headers" data-testid={testId} aria-label={title}>
      {headers.map(([name, value], i) => (
        <div key={i}>
          <dt>{oneLine(name, VALUE_CHARS)}</dt>
          <dd>{oneLine(value, VALUE_CHARS)}</dd>
        </div>
      ))}
    </dl>
  );
}
