// Which shim a page has, asked without trusting anything a shim could mask:
// the extension's shim swallows the bridge's hello event on the window before
// any page listener (it already holds its port, so a second one is ignored);
// the standalone one has its global.
import { HELLO_EVENT } from '../../shim/wire/names';

export interface Instrumentation {
  extension: boolean;
  standalone: boolean;
}

/** An expression to evaluate in the page; it yields an `Instrumentation`. */
export const INSTRUMENTATION_PROBE = `(() => {
  let seen = false;
  addEventListener(${JSON.stringify(HELLO_EVENT)}, () => { seen = true; });
  dispatchEvent(new MessageEvent(${JSON.stringify(HELLO_EVENT)}, { ports: [new MessageChannel().port2] }));
  return { extension: !seen, standalone: typeof globalThis.sockscope === 'object' };
})()`;
