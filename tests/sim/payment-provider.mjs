#!/usr/bin/env node
// A local payment provider in the common shape of Moroccan acquirers' hosted payment pages (CMI-like), for the
// tests and for a commune trying its configuration. Node's own http and crypto only.
//
//   node tests/sim/payment-provider.mjs --secret STORE_KEY [--port 0] [--lifetime 600] [--client-id ID]
//
// It binds 127.0.0.1 (the port given, or a free one), prints one line `listening http://127.0.0.1:PORT` on
// stdout, and stops by itself after `--lifetime` seconds (600 by default) or on SIGTERM.
//
// The protocol (both directions signed the same way): the parameters but `HASH` and `encoding`, sorted by name
// (ASCII, case-insensitive), each value with `\` written `\\` and `|` written `\|`, joined by `|`; the HASH is
// the base64 of HMAC-SHA512 of that text under the merchant's store key.
//
// - `POST /pay` (form): the merchant's signed fields `clientid`, `oid`, `amount` (dirhams, `123.45`),
//   `currency` (ISO 4217 numeric, `504` for MAD), `okUrl`, `failUrl`, `callbackUrl`, `rnd`, `HASH`. A bad
//   signature is answered 400. Without `pan`, the card page (a form posting `txn` and `pan` to `/pay/card`);
//   with `pan` (a test parameter, as sandboxes allow), processed at once.
// - `POST /pay/card` (form `txn`, `pan`): the card entered on the page.
// - The card number decides what happens, as in real sandboxes:
//     4111111111111111  approved, one callback, the browser sent back to okUrl
//     4000000000000002  refused (ProcReturnCode 05), one callback, the browser sent back to failUrl
//     4000000000000010  approved, the callback sent twice
//     4000000000000028  approved, one callback whose HASH is wrong (a forgery)
//     4000000000000036  approved, the callback never sent
//     4000000000000044  approved, one callback, the browser never comes back (a page without return)
//   Any other number is refused (ProcReturnCode 14, invalid card).
// - The callback: a server-to-server `POST callbackUrl` (form) of `clientid`, `oid`, `amount`, `currency`,
//   `TransId`, `ProcReturnCode` (`00` approved), `Response` (`Approved` / `Declined`), `maskedCreditCard`,
//   `EXTRA.TRXDATE`, `rnd`, `HASH`. The merchant acknowledges with the body `ACTION=POSTAUTH`.
// - The browser's return: a page whose form posts the same signed fields to okUrl or failUrl (auto-submitted).
// - `GET /statement.csv?clientid=ID&date=YYYY-MM-DD`: the day's transactions of that merchant, UTC:
//   `date,order_id,transaction_id,amount,currency,status` (`approved` / `refused`).
// - `GET /transactions`: every transaction with its callbacks and the merchant's acknowledgements (JSON).

import http from 'node:http';
import crypto from 'node:crypto';

function args(argv) {
  const out = { port: 0, lifetime: 600, secret: null, clientId: null };
  for (let i = 2; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--port') out.port = Number(v);
    else if (k === '--lifetime') out.lifetime = Number(v);
    else if (k === '--secret') out.secret = v;
    else if (k === '--client-id') out.clientId = v;
    else throw new Error(`unknown argument ${k}`);
  }
  if (!out.secret) throw new Error('--secret is required');
  return out;
}

const opts = args(process.argv);

export function canonical(params) {
  return Object.keys(params)
    .filter((k) => k !== 'HASH' && k !== 'encoding')
    .sort((a, b) => {
      const [x, y] = [a.toLowerCase(), b.toLowerCase()];
      return x < y ? -1 : x > y ? 1 : 0;
    })
    .map((k) => String(params[k]).replaceAll('\\', '\\\\').replaceAll('|', '\\|'))
    .join('|');
}

function sign(params) {
  return crypto.createHmac('sha512', opts.secret).update(canonical(params), 'utf8').digest('base64');
}

function verify(params) {
  const given = Buffer.from(String(params.HASH ?? ''), 'utf8');
  const want = Buffer.from(sign(params), 'utf8');
  return given.length === want.length && crypto.timingSafeEqual(given, want);
}

const CARDS = {
  '4111111111111111': { approved: true, callbacks: 1 },
  '4000000000000002': { approved: false, code: '05', callbacks: 1 },
  '4000000000000010': { approved: true, callbacks: 2 },
  '4000000000000028': { approved: true, callbacks: 1, forged: true },
  '4000000000000036': { approved: true, callbacks: 0 },
  '4000000000000044': { approved: true, callbacks: 1, noReturn: true },
};

const transactions = []; // every processed payment, in order
const pending = new Map(); // card pages opened: txn -> merchant fields
let counter = 0;

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 64 * 1024) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function postCallback(url, fields) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: (await res.text()).slice(0, 200) };
  } catch (e) {
    return { status: 0, body: String(e && e.message) };
  }
}

async function process_(fields, pan) {
  const card = CARDS[pan] ?? { approved: false, code: '14', callbacks: 1 };
  counter += 1;
  const now = new Date();
  const trxDate = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const txn = {
    transId: `SIM${now.getUTCFullYear()}${String(counter).padStart(8, '0')}`,
    clientid: fields.clientid,
    oid: fields.oid,
    amount: fields.amount,
    currency: fields.currency,
    approved: card.approved,
    date: trxDate,
    callbacks: [],
  };
  transactions.push(txn);
  const answer = {
    clientid: fields.clientid,
    oid: fields.oid,
    amount: fields.amount,
    currency: fields.currency,
    TransId: txn.transId,
    ProcReturnCode: card.approved ? '00' : card.code,
    Response: card.approved ? 'Approved' : 'Declined',
    maskedCreditCard: `${pan.slice(0, 6)}******${pan.slice(-4)}`,
    'EXTRA.TRXDATE': trxDate,
    rnd: crypto.randomBytes(10).toString('hex'),
  };
  answer.HASH = sign(answer);
  const sent = card.forged ? { ...answer, HASH: sign({ ...answer, amount: '0.01' }) } : answer;
  for (let i = 0; i < card.callbacks; i++) {
    txn.callbacks.push({ forged: !!card.forged, ...(await postCallback(fields.callbackUrl, sent)) });
  }
  if (card.noReturn) {
    return '<!doctype html><title>Paiement</title><p>Paiement traité.</p>';
  }
  const target = card.approved ? fields.okUrl : fields.failUrl;
  const inputs = Object.entries(answer)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<!doctype html><title>Paiement</title><body onload="document.forms[0].submit()">
<form id="return" method="post" action="${escapeHtml(target)}">${inputs}<button>Retour au site</button></form>`;
}

function cardPage(txn, fields) {
  return `<!doctype html><title>Paiement sécurisé</title><h1>Paiement sécurisé</h1>
<p>Commande ${escapeHtml(fields.oid)} : ${escapeHtml(fields.amount)} (${escapeHtml(fields.currency)})</p>
<form id="card" method="post" action="/pay/card"><input type="hidden" name="txn" value="${escapeHtml(txn)}">
<label>Numéro de carte <input name="pan" autocomplete="cc-number"></label><button id="pay">Payer</button></form>`;
}

const REQUIRED = ['clientid', 'oid', 'amount', 'currency', 'okUrl', 'failUrl', 'callbackUrl', 'rnd', 'HASH'];

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname === '/pay') {
    const fields = await readForm(req);
    const missing = REQUIRED.filter((k) => !fields[k]);
    if (missing.length) return send(res, 400, 'text/plain', `missing ${missing.join(',')}`);
    if (opts.clientId && fields.clientid !== opts.clientId) return send(res, 400, 'text/plain', 'unknown merchant');
    if (!/^\d+\.\d{2}$/.test(fields.amount)) return send(res, 400, 'text/plain', 'bad amount');
    const { pan, ...merchant } = fields; // the test parameter `pan` is not signed
    if (!verify(merchant)) return send(res, 400, 'text/plain', 'bad hash');
    if (pan) return send(res, 200, 'text/html; charset=utf-8', await process_(merchant, pan));
    const txn = crypto.randomBytes(12).toString('hex');
    pending.set(txn, merchant);
    return send(res, 200, 'text/html; charset=utf-8', cardPage(txn, merchant));
  }
  if (req.method === 'POST' && url.pathname === '/pay/card') {
    const { txn, pan } = await readForm(req);
    const merchant = pending.get(txn);
    if (!merchant) return send(res, 404, 'text/plain', 'unknown payment page');
    pending.delete(txn);
    return send(res, 200, 'text/html; charset=utf-8', await process_(merchant, String(pan ?? '').replace(/\s/g, '')));
  }
  if (req.method === 'GET' && url.pathname === '/statement.csv') {
    const client = url.searchParams.get('clientid');
    const day = url.searchParams.get('date');
    if (!client || !/^\d{4}-\d{2}-\d{2}$/.test(day ?? '')) return send(res, 400, 'text/plain', 'clientid and date');
    const rows = transactions
      .filter((t) => t.clientid === client && t.date.startsWith(day))
      .map((t) => [t.date, t.oid, t.transId, t.amount, t.currency, t.approved ? 'approved' : 'refused'].join(','));
    return send(res, 200, 'text/csv; charset=utf-8', ['date,order_id,transaction_id,amount,currency,status', ...rows].join('\n') + '\n');
  }
  if (req.method === 'GET' && url.pathname === '/transactions') {
    return send(res, 200, 'application/json', JSON.stringify(transactions));
  }
  return send(res, 404, 'text/plain', 'not found');
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => send(res, 400, 'text/plain', String(e && e.message)));
});
server.listen(opts.port, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
setTimeout(stop, opts.lifetime * 1000).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
