// A worker for the end-to-end tests that starts a worker of its own, which
// opens the socket named in this worker's `ws` query parameter.
new Worker('/socket-worker.js' + self.location.search);
