// For the end-to-end tests: a script a classic worker imports, keeping where an error thrown here says it was.
self.importedStack = (() => { try { null.boom(); } catch (error) { return String(error.stack); } })();
