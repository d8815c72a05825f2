// What the MAIN-world script the background registers for an origin option
// does, at document_start on those origins: dispatch the option's event. The
// shim, a manifest content script, runs before it and applies the option when
// it hears the event; one nobody cancelled means the shim was not there.
import { ORIGIN_OPTIONS, type OriginOption } from '../../shim/wire/names';

export function requestOption(option: OriginOption, label: string): void {
  if (dispatchEvent(new Event(ORIGIN_OPTIONS[option].event, { cancelable: true }))) {
    console.warn(`[sockscope] "${label}" is on for this origin, but the Sockscope shim did not answer: it does not apply.`);
  }
}
