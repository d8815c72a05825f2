// A worker for the end-to-end tests: opens a socket to the URL in its `ws`
// query parameter, sends one message, and tells its creator once the server
// echoed it.
const ws = new WebSocket(new URLSearchParams(self.location.search).get('ws'));
ws.onopen = () => ws.send('from the worker');
ws.onmessage = (event) => event.data === 'from the worker' && postMessage('echoed');
