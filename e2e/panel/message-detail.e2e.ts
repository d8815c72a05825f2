// A message in full, and payloads that try to be more than text, in both
// browsers (the steps are lib/messages-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { showsMessagesInFull, survivesHostilePayloads } from '../lib/messages-scenario';

describeInBrowsers((test) => {
  test('a message in full: JSON tree with paths, ten thousand levels deep, a hex dump, the keyboard; markup stays text', onInspectedTab(showsMessagesInFull));

  test('hostile payloads stay text and the panel stays usable', onInspectedTab(survivesHostilePayloads));
});
