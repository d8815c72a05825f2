// WebSocket's readyState values, for the shim's own bookkeeping.
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
