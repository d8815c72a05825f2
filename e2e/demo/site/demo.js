// The demo page: three sockets to the demo server. Plain script, no build.
'use strict';

const WS_BASE = `ws://${location.host}`;
const MAX_LOG = 50;

/** Opens a socket, keeps its status badge current and reconnects after a close. */
function connect(card, path, setup) {
  const badge = card.querySelector('.state');
  const show = (state) => { badge.dataset.state = state; badge.textContent = state; };
  const ws = new WebSocket(WS_BASE + path);
  show('connecting');
  ws.addEventListener('open', () => show('open'));
  ws.addEventListener('close', () => {
    show('closed');
    setTimeout(() => connect(card, path, setup), 3000);
  });
  setup(ws);
}

function addLine(list, className, dir, text) {
  const li = document.createElement('li');
  li.className = className;
  const arrow = document.createElement('span');
  arrow.className = 'dir';
  arrow.textContent = dir;
  li.append(arrow, text);
  list.append(li);
  while (list.children.length > MAX_LOG) list.firstElementChild.remove();
  list.scrollTop = list.scrollHeight;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

// Chat: text from the box, or a small binary message; the server echoes both.
(() => {
  const card = document.getElementById('chat');
  const log = card.querySelector('.log');
  const form = card.querySelector('form');
  let socket = null;
  connect(card, '/chat', (ws) => {
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => {
      ws.send('Hello from the demo page');
      addLine(log, 'sent', '↑', 'Hello from the demo page');
    });
    ws.addEventListener('message', (event) => {
      const text = typeof event.data === 'string' ? event.data : `binary ${event.data.byteLength} B: ${hex(new Uint8Array(event.data))}`;
      addLine(log, 'received', '↓', text);
    });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = form.elements.text.value;
    if (!text || socket?.readyState !== WebSocket.OPEN) return;
    socket.send(text);
    addLine(log, 'sent', '↑', text);
  });
  card.querySelector('[data-action=binary]').addEventListener('click', () => {
    if (socket?.readyState !== WebSocket.OPEN) return;
    const bytes = crypto.getRandomValues(new Uint8Array(8 + Math.floor(Math.random() * 24)));
    socket.send(bytes);
    addLine(log, 'sent', '↑', `binary ${bytes.length} B: ${hex(bytes)}`);
  });
})();

// Ticker: a table with the latest price per symbol.
(() => {
  const card = document.getElementById('ticker');
  const body = card.querySelector('tbody');
  const stats = card.querySelector('.stats');
  const rows = new Map();
  let count = 0;
  connect(card, '/ticker', (ws) => {
    ws.addEventListener('message', (event) => {
      const { symbol, price } = JSON.parse(event.data);
      let row = rows.get(symbol);
      if (!row) {
        row = { tr: body.insertRow(), last: price };
        row.tr.insertCell().textContent = symbol;
        row.tr.insertCell();
        row.tr.insertCell();
        rows.set(symbol, row);
      }
      const change = ((price - row.last) / row.last) * 100;
      row.tr.cells[1].textContent = price.toFixed(2);
      row.tr.cells[2].textContent = `${change >= 0 ? '+' : ''}${change.toFixed(2)} %`;
      row.tr.cells[2].className = change >= 0 ? 'up' : 'down';
      row.last = price;
      stats.textContent = `${++count} messages`;
    });
  });
})();

// Binary: decode each record's header (magic, sequence, timestamp).
(() => {
  const card = document.getElementById('binary');
  const log = card.querySelector('.log');
  const stats = card.querySelector('.stats');
  let count = 0;
  connect(card, '/binary', (ws) => {
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('message', (event) => {
      const view = new DataView(event.data);
      const magic = String.fromCharCode(...new Uint8Array(event.data, 0, 4));
      const seq = view.getUint32(4);
      const time = new Date(view.getFloat64(8)).toISOString().slice(11, 23);
      const head = hex(new Uint8Array(event.data, 16, Math.min(8, event.data.byteLength - 16)));
      addLine(log, 'received', '↓', `${magic} #${seq} ${time} ${event.data.byteLength} B  ${head}…`);
      stats.textContent = `${++count} records`;
    });
  });
})();
