// The messages filter, in both browsers (the steps are lib/messages-scenario.ts).
import { describeInBrowsers, onInspectedTab } from '../fixtures';
import { filtersALargeLog, filtersMessages } from '../lib/messages-scenario';

describeInBrowsers((test) => {
  test("the messages filter: text and /regex/ highlighted, directions, heartbeats and the user's patterns, all sockets, chips, keyboard, a bad query, markup kept as text", onInspectedTab(filtersMessages));

  test('a filter over a large log: the older part searched by the worker, its matches joined', onInspectedTab(filtersALargeLog));
});
