/*
 * explorer.js - the script of tcpsim's explorer page (docs/explorer.md).  Plain JavaScript and
 * SVG, no framework, nothing fetched: the trace (the records of `tcpsim --json -v`, the text
 * trace's lines and the TCP header bytes of every segment) and the ladder layouts computed by
 * render/ are embedded in the page as JSON.
 *
 * An *event* is a record that is not a "tcb" record: event N is line N of `tcpsim --json`.  One
 * event is selected at a time; every pane follows it: the ladder (the event's connection, drawn
 * only where it is in view), the event list (only the rows in view exist), the two TCB panels
 * (each endpoint's last tcb record at or right after the event), the header panel (the event's
 * segment, or the last one before it) and the time-sequence graph's cursor.
 */
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var D = JSON.parse(document.getElementById('tcpsim-data').textContent);
  var LAYOUTS = JSON.parse(document.getElementById('tcpsim-layouts').textContent) || {};
  var recs = D.records, texts = D.text, wire = D.wire || {};
  var SIDES = ['client', 'server'];

  /* ---- indexes ------------------------------------------------------------------------ */
  var evRec = [];          /* record index of each event */
  var evConn = [];         /* connection of each event */
  var tcbOf = [[], []];    /* per event: record index of the client's / server's tcb, or -1 */
  var segBefore = [];      /* per event: the event of the last segment at or before it (same conn) */
  var connEvents = {};     /* conn -> its events in order */
  var connList = [];
  var lastTcb = {}, lastSeg = {};
  function connOf(r) { return r.conn === undefined ? 0 : r.conn; }
  function finish(k) {
    var c = evConn[k], t = lastTcb[c] || [-1, -1];
    tcbOf[0][k] = t[0];
    tcbOf[1][k] = t[1];
  }
  for (var i = 0; i < recs.length; i++) {
    var r = recs[i], c = connOf(r);
    if (r.ev === 'tcb') {
      if (!lastTcb[c]) lastTcb[c] = [-1, -1];
      lastTcb[c][r.ep === 'client' ? 0 : 1] = i;
      continue;
    }
    var k = evRec.length;
    if (k > 0) finish(k - 1);
    evRec.push(i);
    evConn.push(c);
    if (!connEvents[c]) { connEvents[c] = []; connList.push(c); }
    connEvents[c].push(k);
    if (r.seg) lastSeg[c] = k;
    segBefore.push(lastSeg[c] === undefined ? -1 : lastSeg[c]);
  }
  if (evRec.length > 0) finish(evRec.length - 1);
  var N = evRec.length;
  function rec(k) { return recs[evRec[k]]; }

  /* ---- small helpers ------------------------------------------------------------------ */
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text instanceof Node) e.appendChild(text);
    else if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  /* microseconds as milliseconds, at most three decimals, no trailing zeros */
  function ms(us) { return String(Number((us / 1000).toFixed(3))); }
  function dur(us) {
    return us >= 10000000 ? String(Number((us / 1e6).toFixed(2))) + ' s' : ms(us) + ' ms';
  }
  function bytes(n) {
    if (n >= 10 * 1024 * 1024) return (n / 1048576).toFixed(1) + ' MB';
    if (n >= 10 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return n + ' B';
  }

  /* ---- page head ---------------------------------------------------------------------- */
  $('title').textContent = D.title || 'tcpsim';
  $('subtitle').textContent = D.description || '';
  $('top').querySelector('.title').title = (D.title || '') + ': ' + (D.description || '');
  /* A connection's ends ({client, server, proto}) from D.conns: a capture's connections, or a
   * simulation's connections and datagram flows from their conn records.  In a scenario with
   * hosts, conn 0 holds the socket calls made outside every connection (socket, bind, listen,
   * accept): it has no ends. */
  function connInfo(c) { return (D.conns && D.conns[c]) || null; }
  function isUdp(c) { var a = connInfo(c); return !!(a && a.proto === 'udp'); }
  var hosted = !D.capture && recs.some(function (r) { return r.ev === 'conn' && r.ep; });
  function isCallsOnly(c) { return hosted && !connInfo(c); }
  function connLabel(c) {
    var a = connInfo(c);
    if (isCallsOnly(c)) return 'socket calls outside connections';
    var name = isUdp(c) ? 'UDP flow' : 'connection';
    if (D.capture || connList.length > 1) name += ' ' + c;
    return name + (a ? ': ' + a.client + ' \u2192 ' + a.server : '');
  }
  var connSel = $('conn');
  connList.forEach(function (c) { connSel.appendChild(el('option', { value: c }, connLabel(c))); });
  if (connList.length < 2) connSel.classList.add('single');
  connSel.addEventListener('change', function () {
    var evs = connEvents[connSel.value];
    if (evs && evs.length) select(evs[0]);
  });

  /* ---- the ladder --------------------------------------------------------------------- */
  /* The layout of a connection: render/'s (embedded), or, when none was embedded, a simple
   * one made here with a row per event. */
  var layoutCache = {};
  function fallbackLayout(c) {
    var evs = connEvents[c] || [], W = 640, x0 = 150, x1 = W - 150, row = 22, top = 70;
    var L = { canvas: { w: W, h: top + row * (evs.length + 3) }, body: { y1: top - 10, y2: top + row * (evs.length + 2) },
              lanes: [{ name: 'client', x: x0, head: 'client' }, { name: 'server', x: x1, head: 'server' }],
              arrows: [], labels: [], boxes: [], notes: [], timers: [], breaks: [], ticks: [], fallback: true };
    var a = connInfo(c);
    if (a) { L.lanes[0].addr = a.client; L.lanes[1].addr = a.server; }
    var byId = {};
    evs.forEach(function (g, j) {
      var r = rec(g), y = top + row * j, x = r.ep === 'client' ? x0 : x1;
      if (r.ev === 'send') {
        var ar = { seg_id: r.id, send_event: j, recv_event: null, drop_event: null, from: r.ep,
                   to: r.ep === 'client' ? 'server' : 'client', x1: x, y_send: y, x2: r.ep === 'client' ? x1 : x0,
                   y_recv: y + 2 * row, lost: false, kind: D.capture ? 'unknown' : 'lost',
                   text: (r.tags || []).indexOf('datagram') >= 0 ? 'UDP off=' + r.seg.seq + ' len=' + r.seg.len
                     : r.seg.flags.join(',') + ' seq=' + r.seg.seq + (r.seg.len ? ' len=' + r.seg.len : ''), style: 'data' };
        byId[r.id] = ar;
        L.arrows.push(ar);
      } else if (r.ev === 'recv' && byId[r.id] && byId[r.id].recv_event === null) {
        byId[r.id].recv_event = j; byId[r.id].y_recv = y; byId[r.id].kind = 'arrival';
      } else if (r.ev === 'drop' && byId[r.id]) {
        var d = byId[r.id]; d.drop_event = j; d.lost = true; d.kind = 'lost';
        d.x2 = (d.x1 + d.x2) / 2; d.y_recv = (d.y_send + y) / 2 + row / 2;
      } else if (r.ev === 'state') {
        L.boxes.push({ text: r.to, x: x - 48, y: y - 9, w: 96, h: 18, cy: y, lane: r.ep, event: j });
      } else if (r.ev === 'app') {
        L.notes.push({ text: r.call + '()', x: r.ep === 'client' ? x - 120 : x + 12, y: y - 8, w: 100, h: 15,
                       anchor_y: y, lane: r.ep, kind: 'app', anchor: r.ep === 'client' ? 'end' : 'start', event: j });
      }
    });
    return L;
  }
  function layoutOf(c) {
    if (layoutCache[c]) return layoutCache[c];
    var L = LAYOUTS[String(c)];
    if (!L || L.format !== 'tcpsim-ladder-layout') L = fallbackLayout(c);
    /* the y of every local event: from the element that shows it, else the one before */
    var evs = connEvents[c] || [], ys = new Float64Array(evs.length).fill(NaN);
    function put(j, y) { if (j !== null && j !== undefined && j < ys.length && isNaN(ys[j])) ys[j] = y; }
    L.arrows.forEach(function (a, n) {
      put(a.send_event, a.y_send);
      put(a.recv_event, a.y_recv);
      put(a.drop_event, a.y_recv);
      a._n = n;
      a._top = Math.min(a.y_send, a.y_recv) - 20;
      a._bot = Math.max(a.y_send, a.y_recv) + 20;
    });
    (L.boxes || []).forEach(function (b) { put(b.event, b.cy); });
    (L.notes || []).forEach(function (b) { put(b.event, b.anchor_y); });
    var prev = L.body ? L.body.y1 : 0;
    for (var j = 0; j < ys.length; j++) { if (isNaN(ys[j])) ys[j] = prev; else prev = ys[j]; }
    L._ys = ys;
    layoutCache[c] = L;
    return L;
  }

  var ladScroll = $('ladder-scroll'), ladSvg = $('ladder'), ladSpacer = $('ladder-spacer');
  var ladConn = null, ladScale = 1;
  function styleOf(a) {
    var col = a.from === 'client' ? 'var(--client)' : 'var(--server)';
    if (a.style === 'retx') col = '#c81e1e';
    if (a.style === 'rst') col = '#7c2d12';
    return col;
  }
  function sizeLadder() {
    var L = layoutOf(ladConn), W = ladScroll.clientWidth;
    /* readable text first: below 0.85 the pane scrolls sideways, centred on the lifelines */
    ladScale = Math.max(0.85, Math.min(1.4, (W - 4) / L.canvas.w));
    ladSpacer.style.height = Math.ceil(L.canvas.h * ladScale) + 'px';
    ladSpacer.style.width = Math.ceil(L.canvas.w * ladScale) + 'px';
    var mid = (L.lanes[0].x + L.lanes[1].x) / 2 * ladScale;
    ladScroll.scrollLeft = Math.max(0, mid - W / 2);
  }
  function drawLadder() {
    var c = ladConn, L = layoutOf(c);
    var W = ladScroll.clientWidth, H = ladScroll.clientHeight;
    var top = ladScroll.scrollTop / ladScale, h = H / ladScale, bot = top + h;
    var w = Math.max(L.canvas.w, W / ladScale);
    ladSvg.setAttribute('width', Math.max(W, L.canvas.w * ladScale));
    ladSvg.setAttribute('height', H);
    w = Math.max(W, L.canvas.w * ladScale) / ladScale;
    ladSvg.style.top = ladScroll.scrollTop + 'px';
    ladSvg.setAttribute('viewBox', '0 ' + top + ' ' + w + ' ' + h);
    while (ladSvg.firstChild) ladSvg.removeChild(ladSvg.firstChild);
    var g = sv('g', {});
    ladSvg.appendChild(g);
    var selLocal = localIndex(sel), selY = L._ys[selLocal];
    /* title and lane heads (when the top is in view) */
    if (top < (L.body ? L.body.y1 : 80)) {
      if (L.title) g.appendChild(sv('text', { x: 12, y: 24, 'font-size': 15, 'font-weight': 700 }, L.title));
      if (L.subtitle) g.appendChild(sv('text', { x: 12, y: 42, 'font-size': 11, fill: '#6b7280' }, L.subtitle));
    }
    var conn = connInfo(c);
    L.lanes.forEach(function (ln) {
      var y1 = L.body ? L.body.y1 : 0, y2 = L.body ? L.body.y2 : L.canvas.h;
      g.appendChild(sv('line', { x1: ln.x, x2: ln.x, y1: Math.max(y1, top), y2: Math.min(y2, bot),
                                 stroke: ln.name === 'client' ? 'var(--client)' : 'var(--server)', 'stroke-width': 2 }));
    });
    function heads(parent, hy) {
      L.lanes.forEach(function (ln) {
        var addr = conn ? conn[ln.name] : isCallsOnly(c) ? '' : ln.addr;
        parent.appendChild(sv('text', { x: ln.x, y: hy, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 700,
                                        fill: ln.name === 'client' ? 'var(--client)' : 'var(--server)' }, ln.head || ln.name));
        if (addr) parent.appendChild(sv('text', { x: ln.x, y: hy + 13, 'text-anchor': 'middle', 'font-size': 10, fill: '#6b7280' }, addr));
      });
    }
    var y1b = L.body ? L.body.y1 : 60;
    if (top < y1b - 30) heads(g, y1b - 26);
    (L.breaks || []).forEach(function (b) {
      if (b.y2 < top || b.y1 > bot) return;
      g.appendChild(sv('rect', { x: 0, y: b.y1, width: w, height: b.y2 - b.y1, fill: '#eef0f3' }));
      g.appendChild(sv('text', { x: w / 2, y: b.y + 4, 'text-anchor': 'middle', 'font-size': 11, fill: '#4b5563' }, b.text));
    });
    (L.ticks || []).forEach(function (t) {
      if (t.y < top || t.y > bot) return;
      g.appendChild(sv('text', { x: 8, y: t.y + 4, 'font-size': 10, fill: '#9ca3af' }, t.text));
    });
    (L.timers || []).forEach(function (t) {
      if (t.y2 < top || t.y1 > bot) return;
      g.appendChild(sv('line', { x1: t.x, x2: t.x, y1: t.y1, y2: t.y2, stroke: '#9ca3af', 'stroke-dasharray': '3 3' }));
    });
    /* the cursor: where the selected event sits */
    if (!isNaN(selY)) g.appendChild(sv('rect', { x: 0, y: selY - 11, width: w, height: 22, fill: 'var(--sel)', opacity: 0.25 }));
    (L.boxes || []).forEach(function (b) {
      if (b.y + b.h < top || b.y > bot) return;
      var on = b.event === selLocal;
      var gb = sv('g', { 'class': 'box', 'data-event': b.event === null ? '' : b.event });
      gb.appendChild(sv('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 3, fill: on ? '#fde68a' : '#fff',
                                  stroke: b.lane === 'client' ? 'var(--client)' : 'var(--server)' }));
      gb.appendChild(sv('text', { x: b.x + b.w / 2, y: b.y + b.h / 2 + 4, 'text-anchor': 'middle', 'font-size': 11,
                                  'font-weight': 600 }, b.text));
      if (b.event !== null && b.event !== undefined) gb.style.cursor = 'pointer';
      g.appendChild(gb);
    });
    (L.notes || []).forEach(function (n) {
      if (n.y + n.h < top || n.y > bot) return;
      var on = n.event === selLocal;
      var t = sv('text', { x: n.anchor === 'end' ? n.x + n.w : n.x, y: n.y + n.h - 4, 'text-anchor': n.anchor === 'end' ? 'end' : 'start',
                           'font-size': 11, fill: n.kind === 'timer' ? '#6b7280' : '#111', 'font-weight': on ? 700 : 400,
                           'class': 'note', 'data-event': n.event === null ? '' : n.event }, n.text);
      g.appendChild(t);
    });
    L.arrows.forEach(function (a) {
      if (a._bot < top || a._top > bot) return;
      var on = a.send_event === selLocal || a.recv_event === selLocal || a.drop_event === selLocal;
      var col = styleOf(a);
      var ga = sv('g', { 'class': 'arrow', 'data-event': a.send_event === null ? '' : a.send_event });
      var dx = a.x2 - a.x1, dy = a.y_recv - a.y_send, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len;
      ga.appendChild(sv('line', { x1: a.x1, y1: a.y_send, x2: a.x2, y2: a.y_recv, stroke: 'transparent', 'stroke-width': 12 }));
      ga.appendChild(sv('line', { x1: a.x1, y1: a.y_send, x2: a.x2, y2: a.y_recv, stroke: on ? '#b45309' : col,
                                  'stroke-width': on ? 3 : 1.5, 'stroke-dasharray': a.kind === 'unknown' ? '5 4' : 'none' }));
      if (a.lost) {
        ga.appendChild(sv('path', { d: 'M' + (a.x2 - 6) + ' ' + (a.y_recv - 6) + 'l12 12m0 -12l-12 12', stroke: '#c81e1e', 'stroke-width': 2.5 }));
      } else {
        var hx = a.x2, hy = a.y_recv;
        ga.appendChild(sv('path', { d: 'M' + hx + ' ' + hy + 'L' + (hx - 9 * ux - 4 * uy) + ' ' + (hy - 9 * uy + 4 * ux) +
                                       'L' + (hx - 9 * ux + 4 * uy) + ' ' + (hy - 9 * uy - 4 * ux) + 'Z', fill: on ? '#b45309' : col }));
      }
      var lb = a.label !== null && a.label !== undefined && L.labels ? L.labels[a.label] : null;
      var tx, ty, anchor;
      if (lb) { anchor = lb.anchor === 'end' ? 'end' : 'start'; tx = anchor === 'end' ? lb.x + lb.w : lb.x; ty = lb.y + 11; }
      else { anchor = a.from === 'client' ? 'start' : 'end'; tx = a.x1 + (a.from === 'client' ? 14 : -14); ty = a.y_send - 4 + 14 * uy; }
      ga.appendChild(sv('text', { x: tx, y: ty, 'text-anchor': anchor, 'font-size': 11, fill: on ? '#92400e' : '#111',
                                  'font-weight': on ? 700 : 400 }, a.text));
      if (lb && lb.tag) ga.appendChild(sv('text', { x: tx, y: ty + 12, 'text-anchor': anchor, 'font-size': 10, fill: '#b91c1c' }, lb.tag));
      else if (a.tag) ga.appendChild(sv('text', { x: tx, y: ty + 12, 'text-anchor': anchor, 'font-size': 10, fill: '#b91c1c' }, a.tag));
      g.appendChild(ga);
    });
    if (top >= y1b - 30) { /* scrolled: the lane heads stay at the top */
      var band = sv('g', {});
      band.appendChild(sv('rect', { x: 0, y: top, width: w, height: 36, fill: '#fff' }));
      band.appendChild(sv('line', { x1: 0, x2: w, y1: top + 36, y2: top + 36, stroke: '#e5e7eb' }));
      heads(band, top + 14);
      g.appendChild(band);
    }
  }
  /* The ladder's legend: what the arrows of this connection are, as the page draws them (by
   * direction; retransmissions and resets in their own colours).  A datagram flow's arrows are
   * datagrams: no SYN, FIN, ACK, retransmission or state there. */
  function drawLegend(c) {
    var L = layoutOf(c), box = $('ladder-legend'), items = [], dirs = {}, has = {};
    L.arrows.forEach(function (a) { dirs[a.from] = true; has[a.style] = true; if (a.lost) has.lost = true; if (a.kind === 'unknown') has.unknown = true; });
    box.textContent = '';
    if (!L.arrows.length) { box.hidden = true; return; }
    box.hidden = false;
    var what = isUdp(c) ? 'datagram' : 'segment';
    SIDES.forEach(function (sd) {
      if (dirs[sd]) items.push([what + ' ' + sd + ' \u2192 ' + (sd === 'client' ? 'server' : 'client'), 'var(--' + sd + ')']);
    });
    if (!isUdp(c)) {
      if (has.retx) items.push(['retransmission', '#c81e1e']);
      if (has.rst) items.push(['reset', '#7c2d12']);
    }
    items.forEach(function (it) {
      var i = el('i'); i.style.background = it[1]; box.appendChild(i);
      box.appendChild(el('span', {}, it[0]));
    });
    if (has.lost) box.appendChild(el('span', { 'class': 'x' }, '\u00d7 lost' + (isUdp(c) ? ' (UDP does not send it again)' : '')));
    if (has.unknown) box.appendChild(el('span', { 'class': 'x' }, '- - arrival not captured'));
    if (!isUdp(c) && (L.boxes || []).length) box.appendChild(el('span', { 'class': 'x' }, '\u25ad state'));
  }
  function localIndex(k) {
    var evs = connEvents[evConn[k]];
    var lo = 0, hi = evs.length - 1;
    while (lo < hi) { var m = (lo + hi + 1) >> 1; if (evs[m] <= k) lo = m; else hi = m - 1; }
    return lo;
  }
  var ladRaf = 0;
  ladScroll.addEventListener('scroll', function () {
    if (!ladRaf) ladRaf = requestAnimationFrame(function () { ladRaf = 0; drawLadder(); });
  });
  ladSvg.addEventListener('click', function (e) {
    var t = e.target.closest('[data-event]');
    if (!t || t.getAttribute('data-event') === '') return;
    var j = Number(t.getAttribute('data-event')), evs = connEvents[ladConn];
    if (j >= 0 && j < evs.length) select(evs[j]);
  });
  function followLadder() {
    var L = layoutOf(ladConn), y = L._ys[localIndex(sel)] * ladScale, H = ladScroll.clientHeight;
    if (y < ladScroll.scrollTop + 40 || y > ladScroll.scrollTop + H - 40)
      ladScroll.scrollTop = Math.max(0, y - H / 2);
  }

  /* ---- the event list ----------------------------------------------------------------- */
  var ROW = 18, evScroll = $('events-scroll'), evRows = $('events-rows');
  $('events-spacer').style.height = N * ROW + 'px';
  var hits = null, hitSet = null;
  function drawEvents() {
    var first = Math.max(0, Math.floor(evScroll.scrollTop / ROW) - 5);
    var last = Math.min(N, first + Math.ceil(evScroll.clientHeight / ROW) + 10);
    evRows.style.top = first * ROW + 'px';
    evRows.textContent = '';
    for (var k = first; k < last; k++) {
      var r = rec(k);
      var d = el('div', { 'class': 'ev ' + r.ep + (k === sel ? ' sel' : '') + (hitSet && hitSet.has(k) ? ' hit' : ''), 'data-i': k });
      d.appendChild(el('span', { 'class': 'n' }, '#' + k));
      d.appendChild(document.createTextNode(texts[k]));
      evRows.appendChild(d);
    }
  }
  var evRaf = 0;
  evScroll.addEventListener('scroll', function () {
    if (!evRaf) evRaf = requestAnimationFrame(function () { evRaf = 0; drawEvents(); });
  });
  evRows.addEventListener('click', function (e) {
    var t = e.target.closest('.ev');
    if (t) select(Number(t.getAttribute('data-i')));
  });
  function followEvents() {
    var y = sel * ROW, H = evScroll.clientHeight;
    if (y < evScroll.scrollTop || y + ROW > evScroll.scrollTop + H) evScroll.scrollTop = Math.max(0, y - H / 3);
  }
  var search = $('search');
  search.addEventListener('input', function () {
    var q = search.value.toLowerCase();
    if (!q) { hits = hitSet = null; $('matches').textContent = ''; drawEvents(); return; }
    hits = [];
    for (var k = 0; k < N; k++) if (texts[k].toLowerCase().indexOf(q) >= 0) hits.push(k);
    hitSet = new Set(hits);
    $('matches').textContent = hits.length + ' match' + (hits.length === 1 ? '' : 'es');
    drawEvents();
  });
  search.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || !hits || !hits.length) return;
    e.preventDefault();
    var next = hits.find(function (k) { return e.shiftKey ? false : k > sel; });
    if (e.shiftKey) { for (var n = hits.length - 1; n >= 0; n--) if (hits[n] < sel) { next = hits[n]; break; } }
    if (next === undefined) next = e.shiftKey ? hits[hits.length - 1] : hits[0];
    select(next);
    $('matches').textContent = (hits.indexOf(next) + 1) + ' of ' + hits.length;
  });

  /* ---- the TCB panels ----------------------------------------------------------------- */
  var FIELDS = [
    ['state', 'state'], ['ISS', 'iss', 'seq'], ['IRS', 'irs', 'seq'],
    ['SND.UNA', 'snd_una', 'seq'], ['SND.NXT', 'snd_nxt', 'seq'], ['SND.WND', 'snd_wnd', 'bytes'],
    ['RCV.NXT', 'rcv_nxt', 'seq'], ['RCV.WND', 'rcv_wnd', 'bytes'],
    ['cwnd', 'cwnd', 'bytes'], ['ssthresh', 'ssthresh', 'bytes'],
    ['SRTT', 'srtt', 'ms'], ['RTTVAR', 'rttvar', 'ms'], ['RTO', 'rto', 'ms']];
  var ORDER = ['state', 'ISS', 'SND.UNA', 'SND.NXT', 'SND.WND', 'IRS', 'RCV.NXT', 'RCV.WND', 'cwnd', 'ssthresh', 'SRTT', 'RTTVAR', 'RTO'];
  var GROUP_AT = { ISS: 'send sequence space', IRS: 'receive sequence space', cwnd: 'congestion control (RFC 5681)',
                   SRTT: 'retransmission timer (RFC 6298)' };
  function fieldValue(t, f) {
    if (!t) return f[1] === 'state' ? 'CLOSED' : '\u2014';
    var v = t[f[1]];
    if (v === null || v === undefined) return '\u2014';
    if (f[2] === 'ms') return ms(v);
    return String(v);
  }
  function fieldNote(t, f, name) {
    if (!t) return '';
    var v = t[f[1]];
    if (v === null || v === undefined) return '';
    if (f[2] === 'seq') {
      var base = name === 'IRS' || name === 'RCV.NXT' ? t.irs : t.iss;
      if (name === 'ISS' || name === 'IRS' || base === null) return '';
      var d = (v - base) >>> 0;
      return (name === 'RCV.NXT' ? 'IRS' : 'ISS') + '+' + d;
    }
    if (name === 'ssthresh' && v >= 1073741823) return 'not set yet';
    if (name === 'RTO') return '';
    if (f[2] === 'bytes') return bytes(v);
    return '';
  }
  function prevTcb(side, k) {
    /* the snapshot shown at the connection's previous event, when it differs from this one's:
     * what changed at this step is highlighted */
    var cur = tcbOf[side][k], evs = connEvents[evConn[k]], j = localIndex(k);
    if (j === 0) return null;
    var before = tcbOf[side][evs[j - 1]];
    return before !== cur && before >= 0 ? recs[before] : null;
  }
  function bar(parts, marks, total) {
    var s = sv('svg', { viewBox: '0 0 280 44' });
    var x = 0;
    parts.forEach(function (p) {
      var w = total > 0 ? 280 * p[0] / total : 0;
      if (w > 0) s.appendChild(sv('rect', { x: x, y: 14, width: w, height: 14, fill: p[1] }));
      x += w;
    });
    s.appendChild(sv('rect', { x: 0.5, y: 14, width: 279, height: 14, fill: 'none', stroke: '#9aa3af' }));
    marks.forEach(function (m, n) {
      if (m[0] < 0 || total <= 0) return;
      var mx = Math.min(279, 280 * m[0] / total), above = n % 2 === 0;
      s.appendChild(sv('line', { x1: mx, x2: mx, y1: above ? 10 : 14, y2: above ? 28 : 32, stroke: m[1], 'stroke-width': 2 }));
      var right = mx > 180;
      s.appendChild(sv('text', { x: right ? mx - 3 : mx + 3, y: above ? 10 : 41, 'font-size': 10, fill: m[1],
                                 'text-anchor': right ? 'end' : 'start' }, m[2]));
    });
    return s;
  }
  function legend(items) {
    var d = el('div', { 'class': 'legend' });
    items.forEach(function (it) {
      var i = el('i'); i.style.background = it[1]; d.appendChild(i);
      d.appendChild(document.createTextNode(it[0]));
    });
    return d;
  }
  /* A datagram flow's side: UDP keeps no connection state (RFC 768), so no TCB, no TCP state;
   * what the side has sent, received and lost so far. */
  function drawFlow(sec, side, k) {
    var me = SIDES[side], evs = connEvents[evConn[k]], upto = localIndex(k), n = { sent: 0, sentB: 0, recv: 0, recvB: 0, lost: 0 };
    for (var j = 0; j <= upto; j++) {
      var r = rec(evs[j]);
      if (r.ep !== me || !r.seg) continue;
      if (r.ev === 'send') { n.sent++; n.sentB += r.seg.len; }
      else if (r.ev === 'recv') { n.recv++; n.recvB += r.seg.len; }
      else if (r.ev === 'drop') n.lost++;
    }
    sec.appendChild(el('div', { 'class': 'state' }, el('span', { 'data-field': 'state' }, 'UDP')));
    sec.appendChild(el('div', { 'class': 'note' }, 'A datagram socket keeps no connection state: no TCB, no handshake, ' +
      'no sequence numbers or ACKs, and a lost datagram is not sent again (RFC 768).'));
    var tb = el('table'), gr = el('tr', { 'class': 'group' });
    gr.appendChild(el('td', { colspan: 3 }, 'datagrams so far'));
    tb.appendChild(gr);
    [['sent', 'sent', n.sent, n.sentB], ['received', 'received', n.recv, n.recvB], ['lost', 'lost on the way', n.lost, null]].forEach(function (f) {
      var tr = el('tr');
      tr.appendChild(el('td', { 'class': 'k' }, f[1]));
      tr.appendChild(el('td', { 'class': 'v', 'data-field': 'dgram-' + f[0] }, String(f[2])));
      tr.appendChild(el('td', { 'class': 'x' }, f[3] === null ? '' : bytes(f[3])));
      tb.appendChild(tr);
    });
    sec.appendChild(tb);
  }
  /* True when this side of k's connection first leaves LISTEN: a scenario's server end, made by
   * the listening socket when the SYN arrives. */
  function fromListen(side, k) {
    var evs = connEvents[evConn[k]];
    for (var j = 0; j < evs.length; j++) {
      var r = rec(evs[j]);
      if (r.ev === 'state' && r.ep === SIDES[side]) return r.from === 'LISTEN';
    }
    return false;
  }
  function drawTcb(side, k) {
    var sec = document.querySelector('[data-tcb="' + SIDES[side] + '"]');
    var ti = tcbOf[side][k], t = ti >= 0 ? recs[ti] : null, p = prevTcb(side, k);
    var inferred = new Set((t && t.inferred) || []);
    sec.textContent = '';
    var a = connInfo(evConn[k]);
    var h = el('h2', {}, SIDES[side]);
    h.appendChild(el('span', { 'class': 'addr' }, a ? a[SIDES[side]] : ''));
    sec.appendChild(h);
    if (isUdp(evConn[k])) { drawFlow(sec, side, k); return; }
    if (isCallsOnly(evConn[k])) {
      sec.appendChild(el('div', { 'class': 'state' }, el('span', { 'data-field': 'state' }, '\u2014')));
      sec.appendChild(el('div', { 'class': 'note' }, 'Not a connection: the socket calls made outside every connection ' +
        '(socket, bind, listen, accept) have no TCB. Choose a connection above to see its TCBs.'));
      return;
    }
    var st = el('div', { 'class': 'state' });
    st.appendChild(el('span', { 'data-field': 'state', 'class': inferred.has('state') ? 'inferred' : '' }, fieldValue(t, FIELDS[0])));
    sec.appendChild(st);
    if (t && t.blocked) sec.appendChild(el('div', { 'class': 'blocked' }, t.blocked + '() is blocked' +
      (t.blocked === 'write' ? ': the send buffer is full' : ': waiting for the handshake')));
    if (!t && hosted && fromListen(side, k)) sec.appendChild(el('div', { 'class': 'note' }, 'No TCB yet: this connection\u2019s ' +
      'server end is made when its SYN reaches the listening socket (the socket calls outside connections).'));
    else if (!t) sec.appendChild(el('div', { 'class': 'note' }, 'No TCB yet: a CLOSED endpoint has none (RFC 9293 3.3.2).'));
    else if (inferred.size) sec.appendChild(el('div', { 'class': 'note' }, '* inferred: a capture shows what an endpoint sent, not what it holds; ' +
      'these values rest on an assumption (the model\u2019s RFC values, or a packet seen on its way in).'));
    else if (D.capture) sec.appendChild(el('div', { 'class': 'note' }, 'The observer endpoint\u2019s values, from the capture.'));
    var tb = el('table');
    ORDER.forEach(function (name) {
      if (name === 'state') return;
      var f = FIELDS.find(function (x) { return x[0] === name; });
      if (GROUP_AT[name]) { var gr = el('tr', { 'class': 'group' }); gr.appendChild(el('td', { colspan: 3 }, GROUP_AT[name])); tb.appendChild(gr); }
      var tr = el('tr');
      if (t && p && t[f[1]] !== p[f[1]]) tr.className = 'changed';
      tr.appendChild(el('td', { 'class': 'k' }, name));
      var inf = inferred.has(f[1]);
      tr.appendChild(el('td', { 'class': 'v' + (inf ? ' inferred' : ''), 'data-field': name, title: inf ? 'inferred: rests on an assumption' : '' }, fieldValue(t, f)));
      tr.appendChild(el('td', { 'class': 'x' }, fieldNote(t, f, name)));
      tb.appendChild(tr);
    });
    sec.appendChild(tb);
    if (!t) return;
    /* timers */
    var now = rec(k).t, tm = el('div', { 'class': 'timers' });
    var names = Object.keys(t.timers || {});
    var gr2 = el('table');
    var grr = el('tr', { 'class': 'group' }); grr.appendChild(el('td', { colspan: 2 }, 'timers running')); gr2.appendChild(grr);
    if (!names.length) { var tr0 = el('tr'); tr0.appendChild(el('td', { 'class': 'x' }, 'none')); gr2.appendChild(tr0); }
    names.forEach(function (n) {
      var at = t.timers[n], tr = el('tr');
      tr.appendChild(el('td', { 'class': 'k', 'data-timer': n }, n));
      tr.appendChild(el('td', { 'class': 'v' }, 'at ' + ms(at) + ' ms' + (at >= now ? ' (in ' + dur(at - now) + ')' : '')));
      gr2.appendChild(tr);
    });
    tm.appendChild(gr2);
    sec.appendChild(tm);
    /* buffers */
    if (t.snd_buf) {
      var sb = t.snd_buf, held = sb.in_flight + sb.unsent, free = Math.max(0, sb.size - held);
      var acked = Math.min(sb.acked, Math.max(sb.size / 4, 0));
      var total = acked + held + free;
      var box = el('div', { 'class': 'bar' });
      box.appendChild(el('div', { 'class': 'cap' }, 'send buffer ' + bytes(sb.size) + ': ' + sb.in_flight + ' in flight, ' + sb.unsent +
        ' unsent (' + sb.acked + ' acked so far)'));
      var marks = [];
      if (t.snd_wnd !== null && t.snd_una !== null) marks.push([acked + t.snd_wnd, '#2563eb', 'SND.UNA+SND.WND']);
      if (t.cwnd !== null) marks.push([acked + t.cwnd, '#059669', 'SND.UNA+cwnd']);
      box.appendChild(bar([[acked, '#cbd5e1'], [sb.in_flight, '#f59e0b'], [sb.unsent, '#60a5fa'], [free, '#fff']], marks, Math.max(total, acked + (t.snd_wnd || 0))));
      box.appendChild(legend([['acked', '#cbd5e1'], ['in flight', '#f59e0b'], ['unsent', '#60a5fa']]));
      sec.appendChild(box);
    }
    if (t.rcv_buf) {
      var rb = t.rcv_buf, rfree = Math.max(0, rb.size - rb.unread - rb.out_of_order);
      var box2 = el('div', { 'class': 'bar' });
      box2.appendChild(el('div', { 'class': 'cap' }, 'receive buffer ' + bytes(rb.size) + ': ' + rb.unread + ' unread' +
        (rb.out_of_order ? ', ' + rb.out_of_order + ' out of order' : '')));
      var m2 = t.rcv_wnd !== null ? [[rb.unread + t.rcv_wnd, '#2563eb', 'RCV.NXT+RCV.WND']] : [];
      box2.appendChild(bar([[rb.unread, '#a78bfa'], [rb.out_of_order, '#f472b6'], [rfree, '#fff']], m2, rb.size));
      box2.appendChild(legend([['unread', '#a78bfa'], ['out of order', '#f472b6']]));
      sec.appendChild(box2);
    }
  }

  /* ---- the header panel --------------------------------------------------------------- */
  var FLAGBITS = [['CWR', 0x80], ['ECE', 0x40], ['URG', 0x20], ['ACK', 0x10], ['PSH', 0x08], ['RST', 0x04], ['SYN', 0x02], ['FIN', 0x01]];
  var FLAGORDER = [['SYN', 0x02], ['FIN', 0x01], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20], ['ECE', 0x40], ['CWR', 0x80]];
  function hexBytes(h) { var b = []; for (var i = 0; i + 1 < h.length; i += 2) b.push(parseInt(h.substr(i, 2), 16)); return b; }
  function u16(b, o) { return (b[o] << 8) | b[o + 1]; }
  function u32(b, o) { return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3]; }
  function optionsText(b, off) {
    var out = [], i = 20, end = off * 4;
    while (i < end) {
      var kind = b[i];
      if (kind === 0) { out.push('eol'); break; }
      if (kind === 1) { out.push('nop'); i++; continue; }
      var len = b[i + 1];
      if (!len || len < 2) break;
      if (kind === 2) out.push('mss ' + u16(b, i + 2));
      else if (kind === 3) out.push('wscale ' + b[i + 2]);
      else if (kind === 4) out.push('sackOK');
      else if (kind === 8) out.push('TS ' + u32(b, i + 2) + ':' + u32(b, i + 6));
      else if (kind === 5) { var s = []; for (var j = i + 2; j + 8 <= i + len; j += 8) s.push(u32(b, j) + '-' + u32(b, j + 4)); out.push('sack ' + s.join(' ')); }
      else out.push('kind ' + kind);
      i += len;
    }
    return out.length ? out.join(', ') : 'none';
  }
  function cell(span, name, value, field, cls) {
    var td = el('td', { colspan: span });
    if (cls) td.className = cls;
    td.appendChild(el('span', { 'class': 'f' }, name));
    var v = el('span', { 'class': 'val' }, value);
    if (field) v.setAttribute('data-field', field);
    td.appendChild(v);
    td.title = name + ': ' + value;
    return td;
  }
  function hexRows(b, max) {
    var hx = el('div', { 'class': 'hex' });
    for (var o = 0; o < b.length && o < max; o += 4) {
      var line = el('div', { 'class': 'row' });
      line.appendChild(el('span', { 'class': 'off' }, ('000' + o.toString(16)).slice(-4)));
      for (var q = o; q < o + 4 && q < b.length; q++) line.appendChild(el('span', {}, ('0' + b[q].toString(16)).slice(-2)));
      hx.appendChild(line);
    }
    if (b.length > max) hx.appendChild(el('div', { 'class': 'row' }, '\u2026 ' + (b.length - max) + ' more bytes'));
    return hx;
  }
  /* A datagram of a UDP flow: the 8-byte header of RFC 768 and the payload; no TCP field. */
  function drawUdp(pane, b) {
    var tbl = el('table', { 'class': 'hdr' }), bits = el('tr', { 'class': 'bits' });
    for (var i = 0; i < 32; i++) bits.appendChild(el('td', {}, i % 8 === 0 ? String(i) : ''));
    tbl.appendChild(bits);
    function row(cells) { var tr = el('tr'); cells.forEach(function (c) { tr.appendChild(c); }); tbl.appendChild(tr); }
    var data = b.slice(8), txt = '';
    data.slice(0, 200).forEach(function (c) { txt += c >= 32 && c < 127 ? String.fromCharCode(c) : c === 10 ? '\\n' : '\\x' + ('0' + c.toString(16)).slice(-2); });
    if (data.length > 200) txt += '\u2026';
    row([cell(16, 'Source Port', String(u16(b, 0)), 'sport'), cell(16, 'Destination Port', String(u16(b, 2)), 'dport')]);
    row([cell(16, 'Length', String(u16(b, 4)), 'length'), cell(16, 'Checksum', '0x' + ('000' + u16(b, 6).toString(16)).slice(-4), 'checksum')]);
    row([cell(32, 'Data (' + data.length + ' bytes)', txt || '(none)', 'payload', 'data')]);
    pane.appendChild(tbl);
    pane.appendChild(el('div', { 'class': 'hdr-caption' }, 'UDP header: 8 bytes, length ' + u16(b, 4) + ' = 8 + ' + data.length +
      ' bytes of data; no sequence number, acknowledgment, flags, window or options'));
    pane.appendChild(el('div', { 'class': 'legend' }, 'The UDP datagram (RFC 768) as --write-pcap puts it on the wire ' +
      '(the checksum covers the pseudo-header, the header and the data).'));
    pane.appendChild(hexRows(b, 64));
  }
  function drawHeader(k) {
    var pane = $('header-pane');
    pane.textContent = '';
    var j = segBefore[k];
    if (j < 0) { pane.appendChild(el('div', { 'class': 'empty' }, isUdp(evConn[k]) ? 'No datagram yet.' : 'No segment yet.')); return; }
    var r = rec(j), hex = wire[String(r.id)], sender = r.ev === 'recv' ? (r.ep === 'client' ? 'server' : 'client') : r.ep;
    var udp = (r.tags || []).indexOf('datagram') >= 0 || isUdp(evConn[j]), what = udp ? 'datagram' : 'segment';
    var cap = el('div', { 'class': 'hdr-caption' });
    cap.appendChild(el('b', {}, j === k ? (udp ? 'Datagram ' : 'Segment ') : 'Last ' + what + ': '));
    cap.appendChild(el('span', { 'class': 'dir-' + sender }, sender + ' \u2192 ' + (sender === 'client' ? 'server' : 'client')));
    cap.appendChild(document.createTextNode(' #' + r.id + ', event ' + j + ' (' + r.ev + '), ' + r.seg.len + ' bytes of ' + (udp ? 'payload' : 'data')));
    pane.appendChild(cap);
    if (!hex) { pane.appendChild(el('div', { 'class': 'empty' }, 'The header bytes of this ' + what + ' are not known.')); return; }
    if (udp) { drawUdp(pane, hexBytes(hex)); return; }
    var b = hexBytes(hex), off = b[12] >> 4, fl = b[13];
    var tbl = el('table', { 'class': 'hdr' }), bits = el('tr', { 'class': 'bits' });
    for (var i = 0; i < 32; i++) bits.appendChild(el('td', {}, i % 8 === 0 ? String(i) : ''));
    tbl.appendChild(bits);
    function row(cells) { var tr = el('tr'); cells.forEach(function (c) { tr.appendChild(c); }); tbl.appendChild(tr); }
    row([cell(16, 'Source Port', String(u16(b, 0)), 'sport'), cell(16, 'Destination Port', String(u16(b, 2)), 'dport')]);
    row([cell(32, 'Sequence Number', String(u32(b, 4)), 'seq')]);
    row([cell(32, 'Acknowledgment Number', String(u32(b, 8)), 'ack')]);
    var flagNames = FLAGORDER.filter(function (f) { return fl & f[1]; }).map(function (f) { return f[0]; }).join(',');
    var r4 = [cell(4, 'DOffset', String(off), 'offset'), cell(4, 'Rsrvd', String(b[12] & 15))];
    FLAGBITS.forEach(function (f) {
      var td = el('td', { 'class': 'flag' + (fl & f[1] ? ' on' : ''), title: f[0] + (fl & f[1] ? ' set' : ' not set') }, f[0]);
      r4.push(td);
    });
    var win = u16(b, 14), wcell = cell(16, 'Window' + (r.seg.win !== win ? ' (\u00d7 scale = ' + r.seg.win + ' bytes)' : ''), String(win), 'window');
    r4.push(wcell);
    row(r4);
    var ck = D.checksums ? '0x' + ('000' + u16(b, 16).toString(16)).slice(-4) : 'not known';
    row([cell(16, 'Checksum', ck, 'checksum'), cell(16, 'Urgent Pointer', String(u16(b, 18)), 'urgent')]);
    row([cell(32, 'Options (' + (off * 4 - 20) + ' bytes)', optionsText(b, off), 'options')]);
    var fspan = el('div', { 'class': 'hdr-caption' });
    fspan.appendChild(document.createTextNode('flags: '));
    fspan.appendChild(el('b', { 'data-field': 'flags' }, flagNames || 'none'));
    fspan.appendChild(document.createTextNode('  \u00b7  data offset ' + off + ' words = ' + off * 4 + ' bytes of header'));
    tbl.appendChild(el('caption', { style: 'caption-side: bottom; text-align: left' }));
    pane.appendChild(tbl);
    pane.appendChild(fspan);
    var hx = el('div', { 'class': 'hex' });
    for (var o = 0; o < b.length; o += 4) {
      var line = el('div', { 'class': 'row' });
      line.appendChild(el('span', { 'class': 'off' }, ('000' + o.toString(16)).slice(-4)));
      for (var q = o; q < o + 4 && q < b.length; q++) {
        var unknown = !D.checksums && (q === 16 || q === 17);
        line.appendChild(el('span', {}, unknown ? '??' : ('0' + b[q].toString(16)).slice(-2)));
      }
      hx.appendChild(line);
    }
    pane.appendChild(el('div', { 'class': 'legend' }, D.checksums
      ? 'The TCP header as --write-pcap puts it on the wire (the checksum covers the pseudo-header and the rebuilt payload).'
      : 'The TCP header rebuilt from the capture\u2019s values; the trace keeps no payload, so the checksum is not known.'));
    pane.appendChild(hx);
  }

  /* ---- the time-sequence graph ------------------------------------------------------- */
  var tsSvg = $('tseq'), tsConn = null, tsGeom = null;
  function drawTseq() {
    var c = tsConn, evs = connEvents[c] || [];
    var W = tsSvg.clientWidth || 300, H = tsSvg.clientHeight || 200;
    while (tsSvg.firstChild) tsSvg.removeChild(tsSvg.firstChild);
    tsSvg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    var sent = [0, 0];
    evs.forEach(function (g) { var r = rec(g); if (r.ev === 'send') sent[r.ep === 'client' ? 0 : 1] += r.seg.len; });
    var dir = sent[1] > sent[0] ? 'server' : 'client', udp = isUdp(c);
    $('tseq-dir').textContent = udp ? 'datagrams sent by the ' + dir + ' (each at the offset of its first byte in all it sent)'
      : 'data sent by the ' + dir + ' (sequence numbers relative to its ISN)';
    var base = null, t0 = Infinity, t1 = -Infinity, s1 = 1;
    var segs = [], acks = [], drops = [];
    evs.forEach(function (g) {
      var r = rec(g);
      if (r.ev === 'drop' && r.ep === dir && base !== null) drops.push([r.t, (r.seg.seq - base) >>> 0]);
      if (r.ev !== 'send') return;
      if (r.ep === dir) {
        if (base === null) base = udp ? 0 : (r.seg.flags.indexOf('SYN') >= 0 ? r.seg.seq : r.seg.seq - 1);
        var s = (r.seg.seq - base) >>> 0, e = s + r.seg.len + (r.seg.flags.indexOf('SYN') >= 0 || r.seg.flags.indexOf('FIN') >= 0 ? 1 : 0);
        segs.push([r.t, s, e, r.tags.indexOf('retransmission') >= 0 || r.tags.indexOf('fast-retransmission') >= 0]);
        if (e > s1) s1 = e;
      } else if (r.seg.flags.indexOf('ACK') >= 0) {
        acks.push([r.t, r.seg.ack, r.seg.win]);
      }
      if (r.t < t0) t0 = r.t;
      if (r.t > t1) t1 = r.t;
    });
    if (base === null || !isFinite(t0)) { tsGeom = null; tsSvg.appendChild(sv('text', { x: 10, y: 20, 'font-size': 12, fill: '#6b7280' }, 'no segments')); return; }
    var ackPts = acks.map(function (a) { return [a[0], (a[1] - base) >>> 0, ((a[1] - base) >>> 0) + a[2]]; })
      .filter(function (a) { return a[1] < 0x80000000; });
    ackPts.forEach(function (a) { if (a[1] > s1) s1 = a[1]; });
    s1 = Math.ceil(s1 * 1.08) + 1;
    var L = 46, R = 8, T = 8, B = 22;
    if (t1 <= t0) t1 = t0 + 1;
    function X(t) { return L + (W - L - R) * (t - t0) / (t1 - t0); }
    function Y(s) { return H - B - (H - T - B) * Math.min(s, s1) / s1; }
    tsGeom = { X: X, t0: t0, t1: t1, H: H, T: T, B: B };
    tsSvg.appendChild(sv('line', { x1: L, x2: L, y1: T, y2: H - B, stroke: '#9ca3af' }));
    tsSvg.appendChild(sv('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#9ca3af' }));
    tsSvg.appendChild(sv('text', { x: L - 4, y: T + 8, 'text-anchor': 'end', 'font-size': 9, fill: '#6b7280' }, String(s1)));
    tsSvg.appendChild(sv('text', { x: L - 4, y: H - B, 'text-anchor': 'end', 'font-size': 9, fill: '#6b7280' }, '0'));
    tsSvg.appendChild(sv('text', { x: L, y: H - 6, 'font-size': 9, fill: '#6b7280' }, ms(t0) + ' ms'));
    tsSvg.appendChild(sv('text', { x: W - R, y: H - 6, 'text-anchor': 'end', 'font-size': 9, fill: '#6b7280' }, ms(t1) + ' ms'));
    var win = '', ack = '', px = null;
    ackPts.forEach(function (a) {
      var x = X(a[0]).toFixed(1);
      ack += (px === null ? 'M' + x + ' ' + Y(a[1]).toFixed(1) : 'H' + x + 'V' + Y(a[1]).toFixed(1));
      win += (px === null ? 'M' + x + ' ' + Y(a[2]).toFixed(1) : 'H' + x + 'V' + Y(a[2]).toFixed(1));
      px = x;
    });
    if (ack) {
      tsSvg.appendChild(sv('path', { d: win, fill: 'none', stroke: '#059669', 'stroke-width': 1, 'stroke-dasharray': '3 2' }));
      tsSvg.appendChild(sv('path', { d: ack, fill: 'none', stroke: '#6b7280', 'stroke-width': 1 }));
    }
    var d = '', dr = '';
    segs.forEach(function (s) {
      var x = X(s[0]).toFixed(1), p = 'M' + x + ' ' + Y(s[1]).toFixed(1) + 'V' + Math.min(Y(s[2]), Y(s[1]) - 1.5).toFixed(1);
      if (s[3]) dr += p; else d += p;
    });
    tsSvg.appendChild(sv('path', { d: d, stroke: dir === 'client' ? '#1f5fa8' : '#a8431f', 'stroke-width': 1.6 }));
    if (dr) tsSvg.appendChild(sv('path', { d: dr, stroke: '#c81e1e', 'stroke-width': 2 }));
    var dx = '';
    drops.forEach(function (p) { var x = X(p[0]), y = Y(p[1]); dx += 'M' + (x - 4) + ' ' + (y - 4) + 'l8 8m0 -8l-8 8'; });
    if (dx) tsSvg.appendChild(sv('path', { d: dx, stroke: '#c81e1e', 'stroke-width': 1.5 }));
    tsSvg.appendChild(sv('line', { id: 'tseq-cursor', x1: 0, x2: 0, y1: T, y2: H - B, stroke: '#b45309', 'stroke-width': 1.5 }));
    var lg = sv('g', { 'font-size': 9, id: 'tseq-legend' });
    if (udp) {
      lg.appendChild(sv('text', { x: L + 6, y: T + 9, fill: dir === 'client' ? '#1f5fa8' : '#a8431f' }, '| datagrams'));
      if (drops.length) lg.appendChild(sv('text', { x: L + 66, y: T + 9, fill: '#c81e1e' }, '\u00d7 lost (not sent again)'));
    } else {
      lg.appendChild(sv('text', { x: L + 6, y: T + 9, fill: dir === 'client' ? '#1f5fa8' : '#a8431f' }, '| segments'));
      lg.appendChild(sv('text', { x: L + 66, y: T + 9, fill: '#6b7280' }, '\u2014 ACK'));
      lg.appendChild(sv('text', { x: L + 106, y: T + 9, fill: '#059669' }, '- - ACK + window'));
      lg.appendChild(sv('text', { x: L + 186, y: T + 9, fill: '#c81e1e' }, '| retransmission  \u00d7 lost'));
    }
    tsSvg.appendChild(lg);
  }
  function moveTseqCursor(k) {
    var cur = $('tseq-cursor');
    if (!cur || !tsGeom) return;
    var x = tsGeom.X(Math.max(tsGeom.t0, Math.min(tsGeom.t1, rec(k).t)));
    cur.setAttribute('x1', x);
    cur.setAttribute('x2', x);
  }

  /* ---- selection and stepping -------------------------------------------------------- */
  var sel = 0, playing = null;
  function select(k, fromHash) {
    if (N === 0) return;
    k = Math.max(0, Math.min(N - 1, k | 0));
    sel = k;
    document.body.dataset.event = String(k);
    var c = evConn[k];
    if (String(connSel.value) !== String(c)) connSel.value = String(c);
    $('position').textContent = 'event ' + k + ' of ' + (N - 1) + ' \u00b7 ' + ms(rec(k).t) + ' ms';
    if (ladConn !== c) { ladConn = c; sizeLadder(); drawLegend(c); }
    followLadder();
    drawLadder();
    followEvents();
    drawEvents();
    drawTcb(0, k);
    drawTcb(1, k);
    drawHeader(k);
    if (tsConn !== c) { tsConn = c; drawTseq(); }
    moveTseqCursor(k);
    if (!fromHash) {
      try { history.replaceState(null, '', '#event=' + k); } catch (e) { /* file:// may refuse */ }
    }
  }
  function hashEvent() {
    var m = /event=(\d+)/.exec(location.hash);
    return m ? Number(m[1]) : null;
  }
  window.addEventListener('hashchange', function () { var h = hashEvent(); if (h !== null && h !== sel) select(h, true); });
  function play() {
    if (playing) { clearInterval(playing); playing = null; $('b-play').textContent = 'play'; return; }
    $('b-play').textContent = 'pause';
    playing = setInterval(function () { if (sel >= N - 1) play(); else select(sel + 1); }, 450);
  }
  document.addEventListener('keydown', function (e) {
    if (e.target === search || e.target === connSel) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') select(sel + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') select(sel - 1);
    else if (e.key === 'Home') select(0);
    else if (e.key === 'End') select(N - 1);
    else if (e.key === ' ') play();
    else return;
    e.preventDefault();
  });
  $('b-first').onclick = function () { select(0); };
  $('b-prev').onclick = function () { select(sel - 1); };
  $('b-next').onclick = function () { select(sel + 1); };
  $('b-last').onclick = function () { select(N - 1); };
  $('b-play').onclick = play;
  var rsz = 0;
  window.addEventListener('resize', function () {
    clearTimeout(rsz);
    rsz = setTimeout(function () { sizeLadder(); drawTseq(); select(sel, true); }, 100);
  });
  if (N === 0) { $('position').textContent = 'the trace is empty'; return; }
  var h0 = hashEvent();
  tsConn = evConn[h0 !== null && h0 < N ? h0 : 0];
  drawTseq();
  select(h0 !== null ? h0 : 0, true);
  document.body.dataset.ready = '1';
})();
