// MAIN-world script the background registers, at document_start, for the
// origins where the user switched "Provide WebSocketStream" on. The shim, a
// manifest content script, runs before it and supplies WebSocketStream when it
// hears this event; one nobody cancelled means the shim was not there.
import { PROVIDE_EVENT } from '../../shim/protocol';

if (dispatchEvent(new Event(PROVIDE_EVENT, { cancelable: true }))) {
  console.warn('[sockscope] "Provide WebSocketStream" is on for this origin, but the Sockscope shim did not answer: WebSocketStream is not provided.');
}
