// A service worker for the end-to-end tests: opens a socket to the URL in its
// `ws` query parameter and sends one message.
const ws = new WebSocket(new URLSearchParams(self.location.search).get('ws'));
ws.onopen = () => ws.send('from the worker');
