// A minimal proxy-wasm host in Node's V8, to time a filter module's own code
// without Envoy: it runs the chat-2k exchange (request headers, body, answer
// headers, answer body, done/log/delete) N times in hold mode and prints the
// guest CPU µs per request, the callbacks' results and the host calls made per
// request. Envoy's share (its callbacks, header maps, buffering) is not in it;
// scripts/bench-envoy.sh measures the whole. Host calls are answered as Envoy
// would for this exchange; the ones a filter does not make here are stubs.
//
//   node --no-liftoff tests/e2e/envoy/guest-bench.js MODULE.wasm [PLUGIN_CONFIG_JSON] [N]
//
// (`--no-liftoff`: Envoy's V8 compiles modules with TurboFan only.) The machine
// is often shared: run it a few times and keep the lowest figure.
const fs = require('fs');
const path = require('path');
const file = process.argv[2];
const plugin = process.argv[3] || '';
const N = +(process.argv[4] || 20000);
const vmconf = '{"hold_headers": true, "max_body_bytes": 524288}';
const reqBody = fs.readFileSync(path.join(__dirname, '../../fixtures/chat-2k.json'));
// The fake upstream's answer (host/examples/fake_upstream.rs).
const ANSWER = Buffer.from('{"id":"chatcmpl-fake","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Sorry about the missing book! Please reply with your order number and we will ship the third book or refund it; you do not need to send anything back."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":480,"completion_tokens":36,"total_tokens":516}}');
const reqHeaders = [[':authority','127.0.0.1:10000'],[':path','/v1/chat/completions'],[':method','POST'],[':scheme','http'],['content-type','application/json'],['content-length',String(reqBody.length)],['x-forwarded-proto','http'],['x-request-id','5d7c2b1e-1c1e-4c7a-9a4e-2f0e4f5b8a11']];
const respHeaders = [[':status','200'],['content-type','application/json'],['content-length',String(ANSWER.length)],['date','Wed, 25 Nov 2026 02:00:00 GMT'],['x-envoy-upstream-service-time','0']];
let inst, mem;
const calls = {};
const count = n => { calls[n] = (calls[n] || 0) + 1; };
const u8 = () => new Uint8Array(mem.buffer);
const dv = () => new DataView(mem.buffer);
function give(bytes, retPtr, retSize) {
  const p = inst.exports.proxy_on_memory_allocate(bytes.length);
  count('(alloc)');
  u8().set(bytes, p);
  dv().setUint32(retPtr, p, true); dv().setUint32(retSize, bytes.length, true);
  return 0;
}
function pairs(hs) {
  let n = 4 + hs.length * 8; for (const [k, v] of hs) n += Buffer.byteLength(k) + Buffer.byteLength(v) + 2;
  const b = Buffer.alloc(n); b.writeUInt32LE(hs.length, 0);
  let o = 4; for (const [k, v] of hs) { b.writeUInt32LE(Buffer.byteLength(k), o); b.writeUInt32LE(Buffer.byteLength(v), o + 4); o += 8; }
  for (const [k, v] of hs) { o += b.write(k, o); b[o++] = 0; o += b.write(v, o); b[o++] = 0; }
  return b;
}
const str = (p, n) => Buffer.from(mem.buffer, p, n).toString();
let cur = { reqH: null, respH: null, reqBody, ans: ANSWER, local: null };
const maps = () => [cur.reqH, null, cur.respH, null];
const env = {
  proxy_log: (l, p, n) => { count('proxy_log'); if (process.env.SHOWLOG) console.error('log', l, str(p, n)); return 0; },
  proxy_get_log_level: (r) => { count('proxy_get_log_level'); dv().setUint32(r, 3, true); return 0; },
  proxy_get_buffer_bytes: (buf, start, max, rp, rs) => {
    count('proxy_get_buffer_bytes');
    const src = { 0: cur.reqBody, 1: cur.ans, 6: Buffer.from(vmconf), 7: Buffer.from(plugin) }[buf];
    if (!src || src.length === 0) return 1;
    return give(src.subarray(start, Math.min(src.length, start + (max >>> 0))), rp, rs);
  },
  proxy_set_buffer_bytes: (buf, start, size, p, n) => { count('proxy_set_buffer_bytes'); const b = Buffer.from(Buffer.from(mem.buffer, p, n)); if (buf === 0) cur.reqBody = b; else cur.ans = b; return 0; },
  proxy_get_header_map_pairs: (m, rp, rs) => { count('proxy_get_header_map_pairs'); return give(pairs(maps()[m]), rp, rs); },
  proxy_get_header_map_value: (m, kp, kn, rp, rs) => { count('proxy_get_header_map_value'); const k = str(kp, kn); const h = maps()[m].find(x => x[0] === k); if (!h) return 1; return give(Buffer.from(h[1]), rp, rs); },
  proxy_replace_header_map_value: (m, kp, kn, vp, vn) => { count('proxy_replace_header_map_value'); return 0; },
  proxy_remove_header_map_value: (m, kp, kn) => { count('proxy_remove_header_map_value'); return 0; },
  proxy_add_header_map_value: () => { count('add'); return 0; },
  proxy_set_header_map_pairs: () => { count('setpairs'); return 0; },
  proxy_send_local_response: (st) => { count('proxy_send_local_response'); cur.local = st; return 0; },
  proxy_define_metric: (k, p, n, r) => { count('proxy_define_metric'); dv().setUint32(r, calls['proxy_define_metric'], true); return 0; },
  proxy_increment_metric: () => { count('proxy_increment_metric'); return 0; },
  proxy_get_property: () => { count('proxy_get_property'); return 1; },
  proxy_set_property: () => 0, proxy_close_stream: () => 0, proxy_get_status: () => 1,
  proxy_get_shared_data: () => 1, proxy_set_shared_data: () => 0, proxy_continue_stream: () => 0,
  proxy_set_tick_period_milliseconds: () => 0, proxy_grpc_cancel: () => 0, proxy_grpc_stream: () => 0,
  proxy_grpc_close: () => 0, proxy_grpc_call: () => 0, proxy_http_call: () => 0,
  proxy_get_current_time_nanoseconds: (r) => { dv().setBigUint64(r, process.hrtime.bigint(), true); return 0; },
  proxy_dequeue_shared_queue: () => 1, proxy_enqueue_shared_queue: () => 0, proxy_resolve_shared_queue: () => 1,
  proxy_call_foreign_function: () => 1, proxy_register_shared_queue: () => 0, proxy_set_effective_context: () => 0,
  proxy_grpc_send: () => 0, proxy_done: () => 0,
};
const wasi = {
  random_get: (p, n) => { for (let i = 0; i < n; i++) u8()[p + i] = (Math.random() * 256) | 0; return 0; },
  environ_get: () => 0, environ_sizes_get: (a, b) => { dv().setUint32(a, 0, true); dv().setUint32(b, 0, true); return 0; },
  fd_write: (fd, iov, n, ret) => { let t = 0; for (let i = 0; i < n; i++) t += dv().getUint32(iov + 8 * i + 4, true); dv().setUint32(ret, t, true); return 0; },
  proc_exit: (c) => { throw new Error('proc_exit ' + c); },
  clock_time_get: (id, prec, r) => { dv().setBigUint64(r, process.hrtime.bigint(), true); return 0; },
};
const mod = new WebAssembly.Module(fs.readFileSync(file));
inst = new WebAssembly.Instance(mod, { env, wasi_snapshot_preview1: wasi });
mem = inst.exports.memory;
const x = inst.exports;
x._initialize();
x.proxy_on_context_create(1, 0);
if (!x.proxy_on_vm_start(1, vmconf.length)) throw new Error('vm_start');
if (!x.proxy_on_configure(1, plugin.length)) throw new Error('configure');
let id = 2;
function one() {
  cur = { reqH: reqHeaders, respH: respHeaders, reqBody, ans: ANSWER, local: null };
  const c = id++;
  x.proxy_on_context_create(c, 1);
  const a = x.proxy_on_request_headers(c, reqHeaders.length, 0);
  const b = x.proxy_on_request_body(c, reqBody.length, 1);
  const r1 = x.proxy_on_response_headers(c, respHeaders.length, 0);
  const r2 = x.proxy_on_response_body(c, ANSWER.length, 1);
  x.proxy_on_done(c); x.proxy_on_log(c); x.proxy_on_delete(c);
  return [a, b, r1, r2, cur.local];
}
const first = one();
for (const k in calls) delete calls[k];
for (let i = 0; i < 3000; i++) one();
for (const k in calls) delete calls[k];
const t0 = process.cpuUsage(); const h0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) one();
const cpu = process.cpuUsage(t0); const wall = Number(process.hrtime.bigint() - h0) / 1e3;
const per = {}; for (const k in calls) per[k] = +(calls[k] / N).toFixed(2);
console.log(JSON.stringify({ module: file.split('/').pop(), actions: first, us_cpu: +((cpu.user + cpu.system) / N).toFixed(2), us_wall: +(wall / N).toFixed(2), calls: per }));
