// A module worker for the end-to-end tests: its static import opens the socket
// (socket-worker.js reads this worker's own URL), so the socket opens before
// this module's body runs.
import './socket-worker.js';
