// Registered by the background for the origins where "WebSocket over stream" is on.
import { requestOption } from './origin-option';

requestOption('webSocketOverStream', 'WebSocket over stream');
