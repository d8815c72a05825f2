// For the end-to-end tests: what a worker can observe of itself, gathered
// once its socket (to the URL in its `ws` query parameter) is greeted, and
// posted to whoever created the worker (or with `post`). The same workers run
// with and without Sockscope, and the two reports must be equal. A classic
// script, so that a service worker can import it too (no import() there).
self.gatherFacts = async (extra, post = (facts) => self.postMessage(facts)) => {
  const relative = new WebSocket('relative-socket');
  const relativeUrl = relative.url;
  relative.close();
  const facts = {
    ...extra,
    location: self.location.href,
    name: self.name,
    ownNames: Object.getOwnPropertyNames(self).sort(),
    webSocketSource: Function.prototype.toString.call(WebSocket),
    toStringSource: Function.prototype.toString.call(Function.prototype.toString),
    relativeUrl,
    fetched: (await fetch('facts-dep.js')).url,
    dynamicImport: await import('./facts-dep.js').then(
      (module) => module.url,
      (error) => `${error.name}: ${error.message}`,
    ),
    stack: (() => {
      try {
        null.boom();
      } catch (error) {
        return String(error.stack);
      }
    })(),
  };
  const ws = new WebSocket(new URLSearchParams(self.location.search).get('ws'));
  ws.onopen = () => ws.send('from the worker');
  ws.onmessage = () => post(facts);
};
