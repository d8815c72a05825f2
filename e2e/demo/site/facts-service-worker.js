// A service worker for the end-to-end tests: reports what it observes of
// itself (facts-gather.js), its imported script's error stack and its own,
// to every window of its origin.
importScripts('facts-import.js', 'facts-gather.js');
const stack = (() => { try { null.boom(); } catch (error) { return String(error.stack); } })();
const toWindows = async (facts) => {
  for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage(facts);
};
self.gatherFacts({ imported: self.importedStack, ownStack: stack }, toWindows);
