// Sockets in child frames of every kind, in both browsers (the steps are lib/frames-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { framesShowSockets } from '../lib/frames-scenario';

describeInBrowsers((test) => {
  test(
    'a socket in each kind of frame (about:blank, srcdoc, blob:, data:, sandboxed, cross-origin) shows in the panel with its messages',
    onInspectedTab((page, panel, server, run) => framesShowSockets(page, panel, server, run)),
  );
});
