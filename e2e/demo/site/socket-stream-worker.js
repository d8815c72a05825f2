// A worker for the end-to-end tests: opens a WebSocketStream to the URL in its
// `ws` query parameter, writes one message, and tells its creator once the
// server echoed it.
const stream = new WebSocketStream(new URLSearchParams(self.location.search).get('ws'));
stream.opened.then(async ({ readable, writable }) => {
  await writable.getWriter().write('from the worker');
  const reader = readable.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    if (read.value === 'from the worker') return postMessage('echoed');
  }
});
