// A classic worker for the end-to-end tests: reports what it observes of
// itself (facts-gather.js), its imported script's error stack and its own.
importScripts('facts-import.js');
const stack = (() => { try { null.boom(); } catch (error) { return String(error.stack); } })();
import('./facts-gather.js').then(() => self.gatherFacts({ imported: self.importedStack, ownStack: stack }));
