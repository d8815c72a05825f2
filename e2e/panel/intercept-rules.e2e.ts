// Intercept rules from the panel in both browsers (the steps are lib/intercept-rules-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { interceptRules } from '../lib/intercept-rules-scenario';

describeInBrowsers((test) => {
  test(
    "rules from the panel: a reply answers a send in place of the server, a drop keeps it from the server, a rewrite changes what the page receives, all marked; one click ends them; export and import round-trip; bad rules refused; a refusing rule fails a new socket's handshake",
    onInspectedTab((page, panel, server, run) => interceptRules(page, panel, server, run)),
  );
});
