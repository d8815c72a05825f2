// A module worker for the end-to-end tests: reports what it observes of
// itself (facts-gather.js), its own URL and error stack.
import './facts-gather.js';
const stack = (() => { try { null.boom(); } catch (error) { return String(error.stack); } })();
self.gatherFacts({ meta: import.meta.url, ownStack: stack });
