// Parquet read-back parity: files tunepack writes are read by DuckDB and hyparquet (the real
// readers, npm test peers) as exactly the rows written; files DuckDB writes (several codecs,
// data page v1 and v2) are read by tunepack as the rows DuckDB reads.
//
// Usage: node run_parquet_parity.mjs PARQUET_TOOL WORK_DIR [TUNEPACK]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const peers = join(root, 'tests/peers/node_modules');
const [tool, work, tunepack] = process.argv.slice(2);
mkdirSync(work, { recursive: true });

if (!existsSync(join(peers, '@duckdb/node-api')) || !existsSync(join(peers, 'hyparquet-compressors'))) {
  console.error('parquet parity: installing the test peers (scripts/test-peers)');
  execFileSync(join(root, 'scripts/test-peers'), { stdio: 'inherit' });
}
const require = createRequire(join(peers, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const hyparquet = await import(pathToFileURL(join(peers, 'hyparquet/src/node.js')));
const { compressors } = await import(pathToFileURL(join(peers, 'hyparquet-compressors/src/index.js')));

// Rows as JSON values, BigInt as Number, object keys sorted, so readers' differences in
// representation do not count. Null fields are dropped unless `strict` (records written
// from JSON: Parquet cannot tell a missing field from a null one); a strict comparison
// (files DuckDB wrote) counts them: tunepack reads a null as null, as DuckDB does.
// DuckDB prints dates and times as "2024-03-01 13:45:00.25+00"; tunepack as ISO 8601,
// "2024-03-01T13:45:00.25Z" (docs/formats.md): the one is mapped to the other.
const duckTimestamp = /^(-?\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(\+00)?$/;
const duckTime = /^(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(\+00)?$/;
function normalize(value, strict = false) {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    let m = duckTimestamp.exec(value);
    if (m) return `${m[1]}T${m[2]}${m[3] ? 'Z' : ''}`;
    m = duckTime.exec(value);
    if (m) return `${m[1]}${m[2] ? 'Z' : ''}`;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, strict));
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      if (strict ? value[key] !== undefined : value[key] !== null && value[key] !== undefined) out[key] = normalize(value[key], strict);
    }
    return out;
  }
  return value;
}

let failures = 0;
function compare(label, expected, actual, strict = false) {
  const same = (a, b) => JSON.stringify(normalize(a, strict)) === JSON.stringify(normalize(b, strict));
  if (expected.length !== actual.length) {
    console.error(`FAIL ${label}: ${actual.length} rows, expected ${expected.length}`);
    failures++;
    return;
  }
  for (let i = 0; i < expected.length; i++) {
    if (!same(expected[i], actual[i])) {
      console.error(`FAIL ${label}: row ${i} differs\n  expected ${JSON.stringify(normalize(expected[i], strict))}\n  actual   ${JSON.stringify(normalize(actual[i], strict))}`);
      failures++;
      return;
    }
  }
  console.log(`ok   ${label} (${expected.length} rows)`);
}

// The records: chat messages with optional fields, tool calls, nulls, unicode, numbers.
function records(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const messages = [];
    if (i % 3 === 0) messages.push({ role: 'system', content: 'Be brief. ✓ 🙂' });
    messages.push({ role: 'user', content: `Question ${i} — 日本語? "quotes" \\ back\nslash` });
    const reply = { role: 'assistant', content: 'x'.repeat(i % 17) + 'é' };
    if (i % 4 === 1) reply.weight = 0;
    if (i % 7 === 2) reply.tool_calls = [{ id: `call_${i}`, type: 'function', function: { name: 'lookup', arguments: '{"q": 1}' } }];
    messages.push(reply);
    const r = { messages };
    if (i % 2 === 0) r.id = i * 1000003;
    r.score = i % 3 === 0 ? i * 0.25 : i;
    r.ok = i % 2 === 0;
    r.tags = i % 5 === 0 ? [] : ['a', i % 2 ? 'b' : 'c'];
    if (i % 6 === 0) r.note = null;
    out.push(r);
  }
  return out;
}

const instance = await DuckDBInstance.create(':memory:');
const duck = await instance.connect();
try { await duck.run("SET TimeZone = 'UTC'"); } catch { /* without ICU, DuckDB prints UTC anyway */ }
async function duckRows(path) {
  const reader = await duck.runAndReadAll(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet('${path}') t`);
  return reader.getRows().map(([j]) => JSON.parse(j));
}
async function hyparquetRows(path) {
  const file = await hyparquet.asyncBufferFromFile(path);
  return hyparquet.parquetReadObjects({ file, compressors });
}
function tunepackRows(path) {
  const text = execFileSync(tool, ['read', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
}

// 1. tunepack writes; DuckDB and hyparquet read.
const written = records(2000);
const jsonl = join(work, 'records.jsonl');
writeFileSync(jsonl, written.map((r) => JSON.stringify(r)).join('\n') + '\n');
const variants = [
  ['snappy', []],
  ['zstd', []],
  ['gzip', []],
  ['none', []],
  ['snappy-many-row-groups', ['--compression', 'snappy', '--row-group-bytes', '20000', '--page-bytes', '2000']],
  ['zstd-plain', ['--compression', 'zstd', '--no-dictionary', '--row-group-bytes', '50000']],
];
for (const [name, flags] of variants) {
  const path = join(work, `tunepack-${name}.parquet`);
  const args = flags.length ? flags : ['--compression', name];
  execFileSync(tool, ['write', jsonl, path, ...args]);
  compare(`duckdb reads tunepack ${name}`, written, await duckRows(path));
  compare(`hyparquet reads tunepack ${name}`, written, await hyparquetRows(path));
  compare(`tunepack reads tunepack ${name}`, written, tunepackRows(path));
}

// 2. DuckDB writes; tunepack reads the rows DuckDB reads.
await duck.run(`CREATE TABLE t AS SELECT * FROM read_json('${jsonl}', format='newline_delimited')`);
await duck.run(`CREATE TABLE typed AS SELECT range AS i, range::INTEGER AS i32, (range * 0.5)::DOUBLE AS d,
  (range * 0.25)::FLOAT AS f, range % 3 = 0 AS b, 'row ' || range AS s, CASE WHEN range % 4 = 0 THEN NULL ELSE range END AS maybe,
  [range, range + 1] AS ints, {'k': 'v' || (range % 5), 'n': range} AS st, (range / 100)::DECIMAL(10, 2) AS dec, DATE '2024-01-01' + range::INTEGER AS day, MAP {'a': range, 'b' || range: NULL} AS m,
  TIMESTAMP '1969-12-31 23:59:58' + range * INTERVAL 1234567 MICROSECOND AS ts, (TIMESTAMP '2024-03-01 13:45:00' + range * INTERVAL 1 MILLISECOND)::TIMESTAMPTZ AS tstz,
  (TIMESTAMP '2024-03-01 13:45:00' + range * INTERVAL 250 MILLISECOND)::TIMESTAMP_MS AS ts_ms, make_timestamp_ns(1709300700000000000 + range * 1000000007) AS ts_ns,
  (TIMESTAMP '2000-01-01 00:00:00' + range * INTERVAL 1 SECOND)::TIMESTAMP_S AS ts_s, TIME '00:00:00' + range * INTERVAL 1001 MILLISECOND AS tod
  FROM range(3000)`);
for (const codec of ['uncompressed', 'snappy', 'zstd', 'gzip']) {
  for (const version of ['V1', 'V2']) {
    for (const table of ['t', 'typed']) {
      const path = join(work, `duckdb-${table}-${codec}-${version}.parquet`);
      await duck.run(`COPY ${table} TO '${path}' (FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 700)`);
      compare(`tunepack reads duckdb ${table} ${codec} ${version}`, await duckRows(path), tunepackRows(path), true);
    }
  }
}

// INT96 timestamps (Spark, older pandas; DuckDB does not write them): a file the parquet
// unit test writes (temporal_values_test.cc) and checks in, read as DuckDB reads it.
// DuckDB reads INT96 as microseconds; tunepack keeps the nanoseconds the value has, so its
// fraction is cut to six digits for this comparison (temporal_values_test.cc checks all nine).
const int96 = join(root, 'tests/data/parquet/int96.parquet');
const toMicros = (rows) => rows.map((r) => ({ ts: r.ts.replace(/(\.\d{6})\d+$/, '$1') }));
compare('tunepack reads INT96 timestamps as duckdb does (to the microsecond)', await duckRows(int96),
  toMicros(tunepackRows(int96)), true);

// 3. An export with --layout hf: DuckDB and hyparquet read its shards as the records of the
// same export in JSON Lines, and Parquet -> JSONL -> Parquet gives the same bytes.
if (tunepack) {
  const chat = join(work, 'chat.jsonl');
  writeFileSync(chat, written.map((r) => JSON.stringify({ messages: r.messages })).join('\n') + '\n');
  const run = (args) => execFileSync(tunepack, [...args, '--progress', 'none', '--overwrite'], { stdio: ['ignore', 'ignore', 'inherit'] });
  run(['convert', chat, '--to', 'openai', '--split', 'train=0.9,test=0.1', '-o', join(work, 'flat')]);
  run(['convert', chat, '--to', 'openai', '--split', 'train=0.9,test=0.1', '--layout', 'hf', '--max-shard-mb', '1', '-o', join(work, 'hf')]);
  for (const split of ['train', 'test']) {
    const expected = readFileSync(join(work, 'flat', `${split}.jsonl`), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
    const shards = execFileSync('ls', [join(work, 'hf', 'data')], { encoding: 'utf8' }).split('\n').filter((n) => n.startsWith(`${split}-`));
    let duckAll = [], hyAll = [];
    for (const shard of shards) {
      duckAll = duckAll.concat(await duckRows(join(work, 'hf', 'data', shard)));
      hyAll = hyAll.concat(await hyparquetRows(join(work, 'hf', 'data', shard)));
    }
    compare(`duckdb reads the hf export's ${split} split (${shards.length} shards)`, expected, duckAll);
    compare(`hyparquet reads the hf export's ${split} split (${shards.length} shards)`, expected, hyAll);
  }
  // The round trip is of a whole export: the shards of an export share the schema of all its
  // splits, so a shard of one split may hold columns (null throughout) that only another
  // split's records have, and that its records read back to JSON Lines do not carry.
  run(['convert', chat, '--to', 'openai', '--split', 'test=1', '--layout', 'hf', '-o', join(work, 'hf-one')]);
  const shard = join(work, 'hf-one', 'data', 'test-00000-of-00001.parquet');
  run(['convert', shard, '--to', 'openai', '-o', join(work, 'back')]);
  run(['convert', join(work, 'back', 'train.jsonl'), '--to', 'openai', '--split', 'test=1', '--layout', 'hf', '-o', join(work, 'again')]);
  const same = readFileSync(shard).equals(readFileSync(join(work, 'again', 'data', 'test-00000-of-00001.parquet')));
  if (same) console.log('ok   Parquet -> JSONL -> Parquet gives the same bytes');
  else { console.error('FAIL Parquet -> JSONL -> Parquet changed the bytes'); failures++; }
}

if (failures > 0) {
  console.error(`${failures} parquet parity check(s) failed`);
  process.exit(1);
}
