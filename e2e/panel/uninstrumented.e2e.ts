// Sockets the network saw but no shim reported, in both browsers (the steps are lib/uninstrumented-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { workerSocketsListedAsNotInstrumented } from '../lib/uninstrumented-scenario';

describeInBrowsers((test) => {
  test(
    "a worker's socket is listed as not instrumented, with its handshake's outcome; the page's own socket is not, and shows its handshake's headers",
    onInspectedTab((page, panel, server, run) => workerSocketsListedAsNotInstrumented(page, panel, server, run)),
  );
});
