// Registered by the background for every page while some tab has shaping
// rules (see extension/background/tab-rules.ts): tells the shim, which runs
// first, to hold sockets opened before its tab's rules arrive.
import { AWAIT_RULES_EVENT } from '../../shim/wire/names';

dispatchEvent(new Event(AWAIT_RULES_EVENT));
