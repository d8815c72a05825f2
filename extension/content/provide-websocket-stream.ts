// Registered by the background for the origins where "Provide WebSocketStream" is on.
import { requestOption } from './origin-option';

requestOption('provideWebSocketStream', 'Provide WebSocketStream');
