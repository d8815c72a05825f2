// A module worker for the end-to-end tests: reports what it observes of
// itself (facts-gather.js), its own URL and error stack.
import { gather } from './facts-gather.js';
const stack = (() => { try { null.boom(); } catch (error) { return String(error.stack); } })();
gather({ meta: import.meta.url, ownStack: stack });
