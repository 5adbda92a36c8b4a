/*
 * explorer_test.js - the explorer page (tcpsim -o FILE.html, docs/explorer.md) in a real browser:
 * Debian's chromium driven by playwright-core (no browser download).  For several scenarios and
 * sample captures it writes the page and the JSON trace, opens the page from file://, steps
 * through it with the keyboard, the URL hash, a click on a list line and on a ladder arrow, and
 * checks the page contract against the trace:
 *   - body.dataset.event is the selected event, its index in `tcpsim --json`;
 *   - [data-tcb=client|server] [data-field=NAME] hold each endpoint's last tcb record at or right
 *     after the event (`--json -v`), sequence numbers absolute, times in ms; after the handshake
 *     the client's SND.UNA = ISS + 1 and RCV.NXT = IRS + 1 (RFC 9293 3.5);
 *   - [data-header] [data-field=NAME] hold the selected segment's header, and for a simulation the
 *     checksum and options are those of the frame --write-pcap writes;
 *   - no request leaves the file, no script error, no console error.
 * Scenarios with hosts (several connections, a datagram flow): each connection shows its own ends
 * (selector, lifeline heads, TCB panels) and headers (checked against --write-pcap), a datagram a
 * UDP header and its payload and no TCP field, state or arrow kind; choosing connection after
 * connection leaves nothing of the previous one.
 * Then it measures how long a trace of 10,000 segments takes to open (goal: under 2 s).
 *   node explorer_test.js TCPSIM SAMPLES_DIR WORK_DIR
 * Exit status 0: all passed; 1: a check failed; 77: skipped (no chromium, no playwright-core).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
let pw;
try {
  pw = require(path.join(__dirname, 'node_modules', 'playwright-core'));
} catch (e) {
  console.log('skipped: playwright-core is not installed (scripts/deps.sh test runs npm ci in tests/browser)');
  process.exit(77);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log('skipped: ' + CHROMIUM + ' is missing (scripts/deps.sh test installs chromium)');
  process.exit(77);
}
const [tcpsim, samples, work] = process.argv.slice(2);
if (!tcpsim || !samples || !work) {
  console.error('usage: node explorer_test.js TCPSIM SAMPLES_DIR WORK_DIR');
  process.exit(2);
}
fs.mkdirSync(work, { recursive: true });

let failures = 0, checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures++; console.log('FAIL: ' + what); }
}
function eq(got, want, what) { check(String(got) === String(want), what + ': got ' + got + ', want ' + want); }

function run(args) { return execFileSync(tcpsim, args, { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString(); }
function jsonl(text) { return text.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l)); }

/* ---- what the page must show, computed from the JSON trace ---------------------------- */
const NAMES = { state: 'state', ISS: 'iss', IRS: 'irs', 'SND.UNA': 'snd_una', 'SND.NXT': 'snd_nxt',
  'SND.WND': 'snd_wnd', 'RCV.NXT': 'rcv_nxt', 'RCV.WND': 'rcv_wnd', cwnd: 'cwnd', ssthresh: 'ssthresh',
  SRTT: 'srtt', RTTVAR: 'rttvar', RTO: 'rto' };
const TIMES = new Set(['SRTT', 'RTTVAR', 'RTO']);
function ms(us) { return String(Number((us / 1000).toFixed(3))); }
function shown(tcb, name) {
  if (!tcb) return name === 'state' ? 'CLOSED' : '\u2014';
  const v = tcb[NAMES[name]];
  if (v === null || v === undefined) return '\u2014';
  return TIMES.has(name) ? ms(v) : String(v);
}
/* events (records that are not tcb) and, per event, each side's tcb record as the page's rule
 * says: the last at or right after the event, within its connection */
function model(records) {
  const events = [], tcbAt = [];
  const last = new Map();
  let pending = -1;
  for (const r of records) {
    if (r.ev === 'capture' || (r.ev === 'conn' && !r.ep)) continue; /* the capture's summary lines */
    const c = r.conn === undefined ? 0 : r.conn;
    if (r.ev === 'tcb') {
      if (!last.has(c)) last.set(c, { client: null, server: null });
      last.get(c)[r.ep] = r;
      continue;
    }
    if (pending >= 0) tcbAt[pending] = Object.assign({}, last.get(events[pending].c) || { client: null, server: null });
    events.push({ r, c });
    pending = events.length - 1;
  }
  if (pending >= 0) tcbAt[pending] = Object.assign({}, last.get(events[pending].c) || { client: null, server: null });
  return { events, tcbAt };
}

/* TCP headers of a pcap written with --pcap-link raw (IPv4 or IPv6) */
function pcapHeaders(file) {
  const d = fs.readFileSync(file), out = [];
  let off = 24;
  while (off + 16 <= d.length) {
    const len = d.readUInt32LE(off + 8);
    const f = d.subarray(off + 16, off + 16 + len);
    off += 16 + len;
    const ip = (f[0] >> 4) === 6 ? 40 : (f[0] & 15) * 4;
    const t = f.subarray(ip), hl = (t[12] >> 4) * 4;
    const total = (f[0] >> 4) === 6 ? 40 + f.readUInt16BE(4) : f.readUInt16BE(2);
    out.push({ seq: t.readUInt32BE(4), ack: t.readUInt32BE(8), flags: t[13], csum: t.readUInt16BE(16), len: total - ip - hl,
               hex: t.subarray(0, hl).toString('hex'), sport: t.readUInt16BE(0) });
  }
  return out;
}

async function openPage(browser, file, hash) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems = [], requests = [];
  page.on('pageerror', (e) => problems.push('script error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  page.on('request', (r) => requests.push(r.url()));
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('file://') && u.split('#')[0] === 'file://' + file) return route.continue();
    requests.push('blocked ' + u);
    return route.abort();
  });
  const t0 = Date.now();
  await page.goto('file://' + file + (hash || ''));
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  const openMs = Date.now() - t0;
  return { page, problems, requests, openMs };
}

async function tcbShown(page) {
  return page.evaluate(() => {
    const out = {};
    for (const side of ['client', 'server']) {
      out[side] = {};
      document.querySelectorAll('[data-tcb="' + side + '"] [data-field]').forEach((e) => {
        out[side][e.getAttribute('data-field')] = e.textContent;
      });
    }
    out.event = document.body.dataset.event;
    return out;
  });
}
async function headerShown(page) {
  return page.evaluate(() => {
    const o = {};
    document.querySelectorAll('[data-header] [data-field]').forEach((e) => { o[e.getAttribute('data-field')] = e.textContent; });
    return o;
  });
}
function compareTcb(got, m, k, label) {
  for (const side of ['client', 'server']) {
    const t = m.tcbAt[k][side];
    for (const name of Object.keys(NAMES))
      eq(got[side][name], shown(t, name), label + ' event ' + k + ' ' + side + ' ' + name);
  }
}

/* waits until fn(arg) is true in the page (polling with evaluate: the page's policy forbids the
 * string evaluation waitForFunction uses) */
async function until(page, fn, arg, what) {
  for (let i = 0; i < 200; i++) {
    if (await page.evaluate(fn, arg)) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  check(false, 'timed out waiting: ' + what);
  return false;
}
async function select(page, k) {
  await page.evaluate((n) => { location.hash = '#event=' + n; }, k);
  await until(page, (n) => document.body.dataset.event === String(n), k, 'event ' + k + ' selected');
}

/* ---- one page: a scenario or a capture ------------------------------------------------ */
async function testPage(browser, label, args, opts) {
  const file = path.join(work, label + '.html');
  run(args.concat(['-q', '-o', file]));
  const m = model(jsonl(run(args.concat(['--json', '-v']))));
  const plain = jsonl(run(args.concat(['--json']))).filter((r) => r.ev !== 'capture' && !(r.ev === 'conn' && !r.ep));
  eq(m.events.length, plain.length, label + ': events in --json -v without tcb = lines of --json');
  for (let k = 0; k < plain.length; k += Math.max(1, Math.floor(plain.length / 50)))
    eq(JSON.stringify(m.events[k].r), JSON.stringify(plain[k]), label + ': event ' + k + ' is line ' + k + ' of --json');
  const { page, problems, requests } = await openPage(browser, file);
  const N = m.events.length;

  /* keyboard: Home, ArrowRight through the first events, End, ArrowLeft */
  await page.keyboard.press('Home');
  let got = await tcbShown(page);
  eq(got.event, 0, label + ': Home selects event 0');
  compareTcb(got, m, 0, label);
  const steps = Math.min(N - 1, opts.steps || 25);
  for (let k = 1; k <= steps; k++) {
    await page.keyboard.press('ArrowRight');
    got = await tcbShown(page);
    eq(got.event, k, label + ': ArrowRight selects event ' + k);
    compareTcb(got, m, k, label);
  }
  await page.keyboard.press('End');
  got = await tcbShown(page);
  eq(got.event, N - 1, label + ': End selects the last event');
  compareTcb(got, m, N - 1, label);
  await page.keyboard.press('ArrowLeft');
  eq((await tcbShown(page)).event, N - 2, label + ': ArrowLeft steps back');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  eq((await tcbShown(page)).event, N - 1, label + ': ArrowRight stops at the last event');

  /* the URL hash, at events spread over the trace */
  for (let k = 0; k < N; k += Math.max(1, Math.floor(N / 15))) {
    await select(page, k);
    compareTcb(await tcbShown(page), m, k, label + ' (hash)');
  }

  /* the handshake: once the client sent its ACK of the SYN,ACK, SND.UNA = ISS + 1 and
   * RCV.NXT = IRS + 1 (RFC 9293 3.5), on the same connection */
  const conn0 = m.events.length ? m.events[0].c : 0;
  const sync = m.events.findIndex((e) => e.c === conn0 && e.r.ev === 'send' && e.r.ep === 'client' && e.r.seg.flags.includes('SYN'));
  const syna = m.events.findIndex((e) => e.c === conn0 && e.r.ev === 'send' && e.r.ep === 'server' && e.r.seg.flags.includes('SYN') && e.r.seg.flags.includes('ACK'));
  const ack3 = m.events.findIndex((e, k) => k > syna && e.c === conn0 && e.r.ev === 'send' && e.r.ep === 'client' && !e.r.seg.flags.includes('SYN'));
  if (opts.handshake) {
    check(sync >= 0 && syna >= 0 && ack3 >= 0, label + ': the trace has a handshake');
    await select(page, ack3);
    got = await tcbShown(page);
    const iss = m.events[sync].r.seg.seq, irs = m.events[syna].r.seg.seq;
    eq(got.client.ISS, iss, label + ': client ISS = seq of its SYN');
    eq(got.client.IRS, irs, label + ': client IRS = seq of the SYN,ACK');
    eq(got.client['SND.UNA'], (iss + 1) >>> 0, label + ': after the handshake client SND.UNA = ISS+1');
    eq(got.client['RCV.NXT'], (irs + 1) >>> 0, label + ': after the handshake client RCV.NXT = IRS+1');
    eq(got.client.state, 'ESTABLISHED', label + ': client ESTABLISHED after the handshake');
  }

  /* header fields of segments: the selected send's header, and against --write-pcap */
  const pcapHdr = opts.pcap ? pcapHeaders(opts.pcap) : null;
  let hdrChecked = 0;
  for (let k = 0; k < N && hdrChecked < 12; k++) {
    const r = m.events[k].r;
    if (r.ev !== 'send') continue;
    await select(page, k);
    const h = await headerShown(page);
    eq(h.seq, r.seg.seq, label + ' event ' + k + ' header seq');
    eq(h.ack, r.seg.ack, label + ' event ' + k + ' header ack');
    eq(h.flags, r.seg.flags.length ? r.seg.flags.join(',') : 'none', label + ' event ' + k + ' header flags');
    const win = Number(h.window);
    check([...Array(15).keys()].some((s) => win * 2 ** s === r.seg.win), label + ' event ' + k + ' header window ' + h.window + ' scales to ' + r.seg.win);
    const optBytes = (r.seg.mss ? 4 : 0) + (r.seg.ts ? 12 : (r.seg.sack_perm ? 4 : 0)) + (r.seg.wscale !== undefined ? 4 : 0) +
      (r.seg.sack ? 4 + 8 * r.seg.sack.length : 0);
    eq(h.offset, 5 + optBytes / 4, label + ' event ' + k + ' header data offset');
    if (r.seg.mss) check(h.options.includes('mss ' + r.seg.mss), label + ' event ' + k + ' options show mss: ' + h.options);
    if (!r.seg.mss && !r.seg.ts && !r.seg.sack && r.seg.wscale === undefined && !r.seg.sack_perm) eq(h.options, 'none', label + ' event ' + k + ' no options');
    if (pcapHdr) {
      /* the capture is taken at the client: every segment the client sends is in it */
      const p = r.ep !== 'client' ? null : pcapHdr.find((x) => x.seq === r.seg.seq && x.ack === r.seg.ack &&
        (x.flags & 0x3f) === flagByte(r.seg.flags) && x.len === r.seg.len && x.sport === opts.cport);
      if (r.ep === 'client') check(!!p, label + ' event ' + k + ' is in the --write-pcap capture');
      if (p) eq(h.checksum, '0x' + p.csum.toString(16).padStart(4, '0'), label + ' event ' + k + ' checksum as --write-pcap writes it');
    } else if (opts.capture) {
      eq(h.checksum, 'not known', label + ' event ' + k + ' capture checksum');
    }
    hdrChecked++;
  }
  check(hdrChecked > 0, label + ': some header was checked');

  /* a click on a list line, and on a ladder arrow */
  await page.keyboard.press('Home');
  const line = page.locator('#events-rows .ev[data-i="3"]');
  if (N > 3) {
    await line.click();
    eq((await tcbShown(page)).event, 3, label + ': a click on list line 3 selects event 3');
  }
  /* a real click (hit-tested) in the middle of an arrow that is in view */
  const spot = await page.evaluate(() => {
    const pane = document.getElementById('ladder-scroll').getBoundingClientRect();
    for (const a of document.querySelectorAll('#ladder .arrow')) {
      const r = a.querySelector('line').getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
      if (x > pane.left + 5 && x < pane.right - 20 && y > pane.top + 45 && y < pane.bottom - 20) {
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('.arrow') === a) return { x, y, ev: a.getAttribute('data-event') };
      }
    }
    return null;
  });
  check(spot !== null, label + ': an arrow is in view');
  if (spot) {
    await page.mouse.click(spot.x, spot.y);
    const ev = Number((await tcbShown(page)).event);
    check(m.events[ev] && m.events[ev].r.ev === 'send', label + ': a click on an arrow selects a send event (got ' + ev + ')');
  }
  /* search: Enter selects the next line with the text */
  await page.fill('#search', opts.search || 'state');
  await page.press('#search', 'Enter');
  const sk = Number((await tcbShown(page)).event);
  const t = await page.evaluate((n) => document.querySelector('.ev.sel') ? document.querySelector('.ev.sel').textContent : '', sk);
  check(t.toLowerCase().includes((opts.search || 'state').toLowerCase()), label + ': search selects a matching line: ' + t);

  check(problems.length === 0, label + ': no script or console error: ' + problems.join('; '));
  const outside = requests.filter((u) => !(u.startsWith('file://') && u.split('#')[0] === 'file://' + file));
  check(outside.length === 0, label + ': nothing fetched but the file itself: ' + outside.join(' '));
  await page.close();
}
function flagByte(fl) {
  const b = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 };
  return fl.reduce((a, f) => a | (b[f] || 0), 0);
}

/* ---- scenarios with hosts: several connections, datagram flows ------------------------- */
/* UDP datagrams (and TCP segments) of a pcap written with --pcap-link raw, IPv4 */
function pcapPackets(file) {
  const d = fs.readFileSync(file), out = [];
  for (let off = 24; off + 16 <= d.length;) {
    const len = d.readUInt32LE(off + 8), f = d.subarray(off + 16, off + 16 + len);
    off += 16 + len;
    const ip = (f[0] & 15) * 4, t = f.subarray(ip);
    out.push({ proto: f[9], src: [...f.subarray(12, 16)].join('.'), sport: t.readUInt16BE(0), dport: t.readUInt16BE(2), t });
  }
  return out;
}
async function panels(page) {
  return page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const hdr = {};
    document.querySelectorAll('[data-header] [data-field]').forEach((e) => { hdr[e.getAttribute('data-field')] = e.textContent; });
    return {
      event: Number(document.body.dataset.event),
      option: q('#conn').selectedOptions[0].textContent, value: q('#conn').value,
      addr: { client: q('[data-tcb="client"] .addr').textContent, server: q('[data-tcb="server"] .addr').textContent },
      tcbText: { client: q('[data-tcb="client"]').textContent, server: q('[data-tcb="server"]').textContent },
      tcbFields: [...document.querySelectorAll('[data-tcb] [data-field]')].map((e) => e.getAttribute('data-field')),
      ladderTexts: [...document.querySelectorAll('#ladder text')].map((e) => e.textContent),
      boxes: document.querySelectorAll('#ladder .box').length,
      legend: q('#ladder-legend') ? q('#ladder-legend').textContent : null,
      tseqDir: q('#tseq-dir').textContent, tseqLegend: q('#tseq-legend') ? q('#tseq-legend').textContent : '',
      hdr, hdrText: q('[data-header]').textContent,
    };
  });
}
function port(a) { return a.slice(a.lastIndexOf(':') + 1); }
function host(a) { return a.slice(0, a.lastIndexOf(':')); }

async function testHosted(browser, name) {
  const args = ['--scenario', name], file = path.join(work, name + '.html'), pcap = path.join(work, name + '-hosts.pcap');
  run(args.concat(['-q', '-o', file]));
  run(args.concat(['-q', '--write-pcap', pcap, '--pcap-link', 'raw']));
  const m = model(jsonl(run(args.concat(['--json', '-v']))));
  const conns = m.events.filter((e) => e.r.ev === 'conn').map((e) => e.r);
  check(conns.length >= 1, name + ': the trace has conn records');
  const pk = pcapPackets(pcap);
  const { page, problems } = await openPage(browser, file);
  /* 1. every connection with its own ends: selector, lifeline heads, TCB panels; its segments'
   * headers with its ports and the checksum --write-pcap writes */
  for (const cr of conns) {
    const c = cr.conn, udp = cr.proto === 'udp';
    const k = m.events.findIndex((e) => e.r === cr);
    await select(page, k);
    let p = await panels(page);
    eq(p.value, c, name + ' conn ' + c + ': the selector shows the connection');
    check(p.option.includes(cr.client + ' \u2192 ' + cr.server), name + ' conn ' + c + ': the selector names its ends: ' + p.option);
    check(p.option.startsWith(udp ? 'UDP flow ' + c : 'connection ' + c), name + ' conn ' + c + ': the selector says what it is: ' + p.option);
    eq(p.addr.client, cr.client, name + ' conn ' + c + ': client panel address');
    eq(p.addr.server, cr.server, name + ' conn ' + c + ': server panel address');
    check(p.ladderTexts.includes(cr.client) && p.ladderTexts.includes(cr.server), name + ' conn ' + c + ': lifeline heads show ' +
      cr.client + ' and ' + cr.server + ': ' + p.ladderTexts.filter((t) => /^[0-9.]+(:\d+)?$/.test(t)).join(' '));
    for (const o of conns.filter((x) => x.conn !== c && x.client !== cr.client))
      check(!p.ladderTexts.includes(o.client), name + ' conn ' + c + ': no lifeline head of connection ' + o.conn);
    const sk = m.events.findIndex((e) => e.c === c && e.r.ev === 'send');
    if (sk < 0) continue;
    await select(page, sk);
    p = await panels(page);
    const r = m.events[sk].r, me = r.ep === 'client' ? cr.client : cr.server, peer = r.ep === 'client' ? cr.server : cr.client;
    eq(p.hdr.sport, port(me), name + ' event ' + sk + ' header source port');
    eq(p.hdr.dport, port(peer), name + ' event ' + sk + ' header destination port');
    if (udp) {
      const text = m.events.find((e, i) => i > sk && e.c === c && e.r.ev === 'app' && e.r.call === 'sendto').r.text;
      eq(p.hdr.length, 8 + r.seg.len, name + ' event ' + sk + ' UDP length = 8 + payload');
      eq(p.hdr.payload, text, name + ' event ' + sk + ' the datagram\'s payload is what sendto() sent');
      const w = pk.find((x) => x.proto === 17 && x.src === host(me) && x.sport === Number(port(me)) && x.t.subarray(8).toString() === text);
      check(!!w, name + ' event ' + sk + ' is in the --write-pcap capture');
      if (w) eq(p.hdr.checksum, '0x' + w.t.readUInt16BE(6).toString(16).padStart(4, '0'), name + ' event ' + sk + ' UDP checksum as --write-pcap');
      for (const f of ['seq', 'ack', 'flags', 'window', 'options', 'offset', 'urgent'])
        check(p.hdr[f] === undefined, name + ' event ' + sk + ': no TCP field ' + f + ' in a datagram\'s header panel');
      check(!/Sequence|Acknowledgment|SYN|Options/.test(p.hdrText), name + ' event ' + sk + ': no TCP words in the header panel: ' + p.hdrText.slice(0, 120));
    } else {
      eq(p.hdr.seq, r.seg.seq, name + ' event ' + sk + ' header seq');
      const w = pk.find((x) => x.proto === 6 && x.src === host(me) && x.sport === Number(port(me)) && x.dport === Number(port(peer)) &&
        x.t.readUInt32BE(4) === r.seg.seq && x.t.readUInt32BE(8) === r.seg.ack && (x.t[13] & 0x3f) === flagByte(r.seg.flags));
      check(!!w, name + ' event ' + sk + ' is in the --write-pcap capture');
      if (w) eq(p.hdr.checksum, '0x' + w.t.readUInt16BE(16).toString(16).padStart(4, '0'), name + ' event ' + sk + ' checksum as --write-pcap');
    }
  }
  /* 2. a datagram flow is no TCP connection: datagrams in the legend, no state box, no CLOSED */
  for (const cr of conns.filter((x) => x.proto === 'udp')) {
    const evs = m.events.map((e, i) => [e, i]).filter((x) => x[0].c === cr.conn);
    for (const [e, k] of evs.filter((x, n) => n % 3 === 0 || x[0].r.ev !== 'app')) {
      await select(page, k);
      const p = await panels(page);
      check(p.legend !== null && p.legend.includes('datagram client \u2192 server'), name + ' event ' + k + ': the legend names datagrams: ' + p.legend);
      check(p.legend !== null && !/SYN|FIN|ACK|segment|retransmission|reset|state/.test(p.legend), name + ' event ' + k + ': no TCP arrow kind in the legend: ' + p.legend);
      if (e.r.ev === 'drop' || k === evs[evs.length - 1][1]) check((p.legend || '').includes('lost'), name + ' event ' + k + ': the legend names the lost datagram');
      eq(p.boxes, 0, name + ' event ' + k + ': no TCP state box on a datagram flow');
      for (const side of ['client', 'server']) {
        check(!/CLOSED|ESTABLISHED|TCB yet|SND\.UNA|RCV\.NXT/.test(p.tcbText[side]), name + ' event ' + k + ' ' + side + ': no TCP state or TCB field: ' + p.tcbText[side].slice(0, 100));
        check(p.tcbText[side].includes('UDP'), name + ' event ' + k + ' ' + side + ': the panel says UDP');
      }
      check(p.tseqDir.startsWith('datagrams') && !/ACK|window|retransmission/.test(p.tseqLegend), name + ' event ' + k + ': the time-sequence graph speaks of datagrams: ' + p.tseqDir + ' / ' + p.tseqLegend);
    }
    const sent = evs.filter((x) => x[0].r.ev === 'send' && x[0].r.ep === 'client').length, lost = evs.filter((x) => x[0].r.ev === 'drop').length;
    await select(page, evs[evs.length - 1][1]);
    const last = await page.evaluate(() => ['sent', 'received', 'lost'].map((f) => {
      const e = document.querySelector('[data-tcb="client"] [data-field="dgram-' + f + '"]');
      return e ? e.textContent : 'none';
    }));
    eq(last.join(','), [sent, 0, lost].join(','), name + ': the client panel counts its datagrams sent, received, lost');
  }
  /* 3. switching connections with the selector: every panel is the new connection's */
  const order = [...new Set(m.events.map((e) => e.c))];
  for (const c of order.concat(order.slice(0, 2).reverse())) {
    await page.selectOption('#conn', String(c));
    await until(page, (n) => document.querySelector('#conn').value === String(n) && document.body.dataset.ready === '1', c, 'conn ' + c + ' chosen');
    const p = await panels(page), cr = conns.find((x) => x.conn === c);
    eq(m.events[p.event].c, c, name + ': choosing connection ' + c + ' selects one of its events');
    if (cr) {
      eq(p.addr.client + ' ' + p.addr.server, cr.client + ' ' + cr.server, name + ' after choosing conn ' + c + ': panel addresses');
      check(p.ladderTexts.includes(cr.client), name + ' after choosing conn ' + c + ': lifeline head ' + cr.client);
      for (const o of conns.filter((x) => x.client !== cr.client))
        check(!p.ladderTexts.includes(o.client), name + ' after choosing conn ' + c + ': nothing of connection ' + o.conn + ' in the ladder');
      if (p.hdr.sport !== undefined)
        check([port(cr.client), port(cr.server)].includes(p.hdr.sport), name + ' after choosing conn ' + c + ': header of its own segment (port ' + p.hdr.sport + ')');
      if (cr.proto !== 'udp') compareTcb(await tcbShown(page), m, p.event, name + ' after choosing conn ' + c);
    } else { /* conn 0: the socket calls outside every connection */
      check(p.option.includes('outside'), name + ': conn 0 is named as the calls outside connections: ' + p.option);
      eq(p.addr.client + p.addr.server, '', name + ': conn 0 has no addresses');
      check(!p.tcbFields.includes('ISS'), name + ': conn 0 shows no TCP fields: it is no connection');
      for (const o of conns) check(!p.ladderTexts.includes(o.client), name + ' conn 0: no lifeline head of connection ' + o.conn);
    }
  }
  check(problems.length === 0, name + ': no script or console error: ' + problems.join('; '));
  await page.close();
}

(async () => {
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const s of ['handshake', 'loss', 'zerowindow', 'fastretx', 'simopen']) {
      const pcap = path.join(work, s + '.pcap');
      run(['--scenario', s, '-q', '--write-pcap', pcap, '--pcap-link', 'raw']);
      await testPage(browser, s, ['--scenario', s],
        { handshake: s !== 'simopen', pcap, cport: 49152, sport: 80, search: s === 'loss' ? 'LOST' : 'state' });
    }
    const prof = path.join(work, 'linux-loss.pcap');
    run(['--scenario', 'loss', '--profile', 'linux', '-q', '--write-pcap', prof, '--pcap-link', 'raw']);
    await testPage(browser, 'linux-loss', ['--scenario', 'loss', '--profile', 'linux'],
      { handshake: true, pcap: prof, cport: 49152, sport: 80 });
    await testPage(browser, 'clean', ['--pcap', path.join(samples, 'clean.pcap')], { handshake: true, capture: true, steps: 25 });
    await testPage(browser, 'concurrent', ['--pcap', path.join(samples, 'concurrent.pcap')], { handshake: true, capture: true, steps: 25 });
    await testPage(browser, 'loss-capture', ['--pcap', path.join(samples, 'loss.pcap')], { handshake: true, capture: true, steps: 10, search: 'retransmission' });

    /* several connections: the panels follow the selected event's connection */
    {
      const file = path.join(work, 'concurrent.html');
      const m = model(jsonl(run(['--pcap', path.join(samples, 'concurrent.pcap'), '--json', '-v'])));
      const conns = [...new Set(m.events.map((e) => e.c))];
      check(conns.length >= 2, 'concurrent.pcap has several connections (' + conns.length + ')');
      const { page } = await openPage(browser, file);
      for (const c of conns.slice(0, 3)) {
        const k = m.events.findIndex((e, i) => e.c === c && i > 0 && m.events[i - 1].c !== c);
        if (k < 0) continue;
        await select(page, k);
        const head = await page.evaluate(() => document.querySelector('[data-tcb="client"] .addr').textContent);
        const want = run(['--pcap', path.join(samples, 'concurrent.pcap'), '--summary', '--json']).split('\n')
          .filter((l) => l.includes('"ev":"conn"')).map((l) => JSON.parse(l)).find((x) => x.conn === c);
        eq(head, want.client, 'concurrent: event ' + k + ' shows connection ' + c + "'s client");
        compareTcb(await tcbShown(page), m, k, 'concurrent conn ' + c);
      }
      await page.close();
    }

    for (const s of ['backlog', 'echo-loop', 'udp', 'timewait-reuse']) await testHosted(browser, s);
    /* the legend of a TCP connection names its arrow kinds */
    {
      const { page } = await openPage(browser, path.join(work, 'loss.html'));
      const lg = await page.evaluate(() => (document.getElementById('ladder-legend') || {}).textContent || '');
      check(/segment client \u2192 server/.test(lg) && /retransmission/.test(lg) && /lost/.test(lg) && !/datagram/.test(lg), 'loss: the legend names segments, retransmission, lost: ' + lg);
      await page.close();
    }

    /* a large trace: 10,000 segments or more, opened and stepped */
    {
      const sf = path.join(work, 'big.tcpsim');
      fs.writeFileSync(sf, 'name big\nserver close-after-eof 0\nat 0 server listen\nat 0 client connect\n' +
        'at 200ms client write 9800000\nat 200ms client close\n');
      const file = path.join(work, 'big.html');
      execFileSync(tcpsim, ['--scenario-file', sf, '-q', '-o', file], { stdio: 'ignore' });
      const html = fs.readFileSync(file, 'utf8');
      const data = JSON.parse(/<script type="application\/json" id="tcpsim-data">([^<]*)<\/script>/.exec(html)[1]);
      const segs = data.records.filter((r) => r.ev === 'send').length;
      check(segs >= 10000, 'the large trace has at least 10,000 segments (' + segs + ')');
      const size = fs.statSync(file).size;
      /* the best of three opens: the machine may be busy with other tests */
      let openMs = Infinity;
      for (let n = 0; n < 2; n++) {
        const o = await openPage(browser, file);
        openMs = Math.min(openMs, o.openMs);
        await o.page.close();
      }
      const { page, problems, openMs: third } = await openPage(browser, file);
      openMs = Math.min(openMs, third);
      const t0 = Date.now();
      for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('End');
      await until(page, () => document.body.dataset.event !== '0', null, 'large page stepped');
      const stepMs = (Date.now() - t0) / 31;
      console.log('large trace: ' + segs + ' segments, page ' + (size / 1e6).toFixed(1) + ' MB, opened in ' + openMs +
        ' ms, ' + stepMs.toFixed(0) + ' ms per step');
      check(openMs < 2000, 'the 10,000-segment page opens in under 2 s (' + openMs + ' ms)');
      check(stepMs < 200, 'stepping the large page takes under 200 ms a step (' + stepMs.toFixed(0) + ' ms)');
      const nodes = await page.evaluate(() => document.querySelectorAll('#ladder *').length + document.querySelectorAll('#events-rows *').length);
      check(nodes < 5000, 'only what is in view is drawn (' + nodes + ' elements)');
      check(problems.length === 0, 'large page: no script error: ' + problems.join('; '));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(checks + ' checks, ' + failures + ' failed');
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
