// A SharedWorker for the end-to-end tests: opens a socket to the URL in its
// `ws` query parameter, sends one message, and greets each client that connects.
const ws = new WebSocket(new URLSearchParams(self.location.search).get('ws'));
ws.onopen = () => ws.send('from the worker');
self.onconnect = (event) => event.ports[0].postMessage('connected');
