// Property-based fuzzing of every write endpoint of the BFF, against a real
// BFF process, real simulator processes and FerretDB. The endpoints come from
// the BFF's own OpenAPI document, so a new one is fuzzed without touching
// this file — or the file fails, naming what it cannot build for it.
//
// For each endpoint: bodies derived from its request schema, valid or broken
// at random (wrong types, missing and unknown fields, overlong strings, bad
// patterns, odd unicode, numbers out of range, nested garbage), and raw
// bodies (not JSON, malformed JSON, wrong content types and encodings, huge).
// Whatever comes in: never a 5xx; every 4xx is `{ error: { code, message } }`
// in Chinese; every VALIDATION_FAILED names each field in Chinese.
//
// Repeatable: the seed is fixed (FUZZ_SEED to change it, FUZZ_RUNS for the
// number of runs per endpoint); a failure prints the seed and the input.
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import fc from 'fast-check';
import { MATTERS, NOTICE, PAYMENT_NOTIFICATION, PAYMENT_NOTIFY_CALLER, chinaToday } from '@flexins/shared';
import { check, signedHeaders } from '@flexins/shared/server';
import { STAFF_ACCOUNTS } from '../../bff/simulators/identity/staff';
import { REPORTABLE_CATEGORIES } from '../../bff/src/modules/problems/problem.model';
import { ROSTER } from '../../bff/simulators/roster';
import { TokenService } from '../../bff/src/platform/auth';
import { TEST_SECRETS } from '../../bff/test/config';
import type { Service } from '../../scripts/lib/services';
import { Citizen, atRest } from '../support/citizen';
import { startBffProcess, startStack, type Stack } from '../support/stack';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
/** Runs per endpoint for schema-derived bodies; raw bodies get half as many. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 90);
fc.configureGlobal({ seed: SEED, numRuns: RUNS });

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'];
const CJK = /[\u4e00-\u9fff]/;

// ---- what the test knows beyond the document ---------------------------------------

type Json = any;
type Schema = Record<string, any>;

/**
 * Values a path parameter can take, by name: the real one of a prepared
 * citizen (`{ $hint: 'caseNo' }`, filled in when sent) or made-up ones. An
 * endpoint whose path has a parameter not named here fails the suite: add a
 * source for it.
 */
const PATH_PARAMETERS: Record<string, fc.Arbitrary<string | { $hint: string }>> = {
  caseNo: fc.oneof(
    { weight: 3, arbitrary: fc.constant({ $hint: 'caseNo' }) },
    { weight: 1, arbitrary: fc.stringMatching(/^LJ\d{14}$/) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 300, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('..', '%', 'current', 'LJ', '{"$gt":""}', '__proto__', ' ', '\u0000') },
  ),
  matter: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...MATTERS.map((m) => m.id)) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('constructor', '__proto__', 'matters', '$where', '..') },
  ),
  problemId: fc.oneof(
    { weight: 3, arbitrary: fc.constant({ $hint: 'problemId' }) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }) },
  ),
};

/** Staff accounts the staff endpoints are fuzzed with: each role once, in one county and the whole region. */
const FUZZ_STAFF = ['xq.clerk', 'xq.agent', 'nx.supervisor'] as const;
const staffTokens: string[] = [];

/**
 * Endpoints the document lists without a request schema but which do read
 * a body, and how a real caller signs the call. The payment system's
 * notification is signed with the gateway signature, which the document has
 * no security scheme for.
 */
const UNDOCUMENTED_BODIES: Record<string, Schema> = {
  'POST /api/payment-notifications': PAYMENT_NOTIFICATION as Schema,
};
const GATEWAY_SIGNED = new Set(['POST /api/payment-notifications']);

/** Paths in a request body where the real value of the chosen citizen sometimes goes, to get past the first checks. */
const BODY_HINTS = new Set([
  'faceCheckId',
  'postageOrderId',
  'consent.noticeVersion',
  'employment.type',
  'orderId',
  'returnUrl',
  'date',
]);

// ---- arbitraries from a JSON Schema ------------------------------------------------

const ANNOTATIONS = new Set(['title', 'description', 'x-enum-labels', 'x-format-hint', 'examples', '$comment']);
const HANDLED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'const',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'items',
  'minItems',
  'maxItems',
  'if',
  'then',
]);
const FORMATS = new Set(['date', 'date-time', 'uri', 'email']);

/** Throws, naming the keyword, when the schema says something these arbitraries do not understand. */
function assertBuildable(schema: Schema, at: string): void {
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (!HANDLED.has(key)) throw new Error(`${at}: no arbitrary for the schema keyword "${key}"`);
    if (key === 'format' && !FORMATS.has(value)) throw new Error(`${at}: no arbitrary for format "${value}"`);
    if (key === 'type' && !['object', 'string', 'integer', 'number', 'boolean', 'array', 'null'].includes(value)) {
      throw new Error(`${at}: no arbitrary for type ${JSON.stringify(value)}`);
    }
    if (key === 'then' && !schema.if) throw new Error(`${at}: "then" without "if"`);
  }
  if (schema.type === undefined && schema.enum === undefined && schema.const === undefined) {
    throw new Error(`${at}: a schema without type, enum or const`);
  }
}

const codePoints = (s: string) => [...s].length;
const PRINTABLE_ASCII = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const TOKEN_CHARS = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split(''));
const CJK_CHARS = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c));

/** Strings of every length from min to max alike (fast-check prefers short ones), of a given alphabet. */
function lengthSpread(min: number, max: number, unit: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.integer({ min, max }).chain((n) => fc.string({ unit, minLength: n, maxLength: n }));
}

const URI_SCHEMES = fc.constantFrom(
  'ftp://example.com/a',
  'urn:isbn:0451450523',
  'mailto:a@example.com',
  'javascript:alert(1)',
  'data:text/plain,hi',
  'file:///etc/passwd',
  'HTTP://EXAMPLE.COM/',
  'weixin://dl/business',
  'http://127.0.0.1:1/x?y=%E4%B8%AD',
);

function validString(s: Schema): fc.Arbitrary<string> {
  const min: number = s.minLength ?? 0;
  const max: number = s.maxLength ?? 64;
  const fits = (v: string) => codePoints(v) >= min && codePoints(v) <= max;
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  if (s.format === 'date') {
    return fc
      .date({ min: new Date('1940-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (s.format === 'date-time') {
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (s.format === 'uri') return fc.oneof(fc.webUrl({ withQueryParameters: true }), URI_SCHEMES).filter(fits);
  if (s.format === 'email') return fc.emailAddress().filter(fits);
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    lengthSpread(min, max, TOKEN_CHARS),
    lengthSpread(min, max, CJK_CHARS),
  );
}

function validNumber(s: Schema): fc.Arbitrary<number> {
  const integer = s.type === 'integer';
  const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : (s.minimum ?? -1e9);
  const max = s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : (s.maximum ?? 1e9);
  if (integer) return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A value the schema accepts (apart from what `if`/`then` may add: those fields are always given). */
function validArb(s: Schema, at: string): fc.Arbitrary<Json> {
  assertBuildable(s, at);
  let arb: fc.Arbitrary<Json>;
  if (s.const !== undefined) arb = fc.constant(s.const);
  else if (s.enum) arb = fc.constantFrom(...(s.enum as Json[]));
  else if (s.type === 'object') {
    const properties: Record<string, Schema> = s.properties ?? {};
    const required = new Set<string>([...(s.required ?? []), ...(s.then?.required ?? [])]);
    const fields: Record<string, fc.Arbitrary<Json>> = {};
    for (const [name, sub] of Object.entries(properties)) fields[name] = validArb(sub, join(at, name));
    arb = fc.record(fields, { requiredKeys: [...required].filter((k) => k in properties) });
  } else if (s.type === 'string') arb = validString(s);
  else if (s.type === 'integer' || s.type === 'number') arb = validNumber(s);
  else if (s.type === 'boolean') arb = fc.boolean();
  else if (s.type === 'null') arb = fc.constant(null);
  else
    arb = fc.array(validArb(s.items ?? { type: 'string' }, `${at}[]`), {
      minLength: s.minItems ?? 0,
      maxLength: Math.min(s.maxItems ?? 4, 4),
    });
  const path = at.replace(/^body\.?/, '');
  return BODY_HINTS.has(path) ? fc.oneof(arb, fc.constant({ $hint: path })) : arb;
}

const join = (at: string, name: string) => `${at}.${name}`;

const INJECTIONS: Json[] = [{ $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }, ['$eq', 1]];

const ODD_STRINGS = fc.constantFrom(
  '',
  ' ',
  '\t\r\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202eRTL',
  '\ufeff',
  '\u200b\u200d',
  'e\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦',
  '𠀀𠀁𪚥',
  '１３８００１３８０００',
  '١٢٣٤٥٦٧٨٩٠',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '%00%ff',
  'null',
  'undefined',
  'NaN',
  '640104198803150317',
  '__proto__',
);

/** Anything at all, JSON-wise, including operator objects. */
const GARBAGE: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 5e-324),
  fc.string({ unit: 'binary', maxLength: 12 }),
  ODD_STRINGS,
  fc.constantFrom(...INJECTIONS),
  fc.jsonValue({ maxDepth: 4 }),
);

const EXTRA_KEYS = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '$where',
    '$set',
    'a.b',
    ' ',
    '\u0000',
    '名字',
    'idNumber',
    'applicantId',
    'status',
    'isAdmin',
  ),
);

/** An own property even for `__proto__`. */
function withProperty(value: Json, key: string, property: Json): Json {
  const out = { ...(value as object) } as Record<string, Json>;
  Object.defineProperty(out, key, { value: property, enumerable: true, writable: true, configurable: true });
  return out;
}

function without(value: Json, key: string): Json {
  const out = { ...(value as object) } as Record<string, Json>;
  delete out[key];
  return out;
}

function brokenString(s: Schema): fc.Arbitrary<Json> {
  const max: number = s.maxLength ?? 64;
  const min: number = s.minLength ?? 0;
  const options: fc.Arbitrary<Json>[] = [
    fc.string({ minLength: max + 1, maxLength: max + 40 }),
    fc.integer({ min: max + 1, max: max * 4 + 2000 }).map((n) => '字'.repeat(n)),
    ODD_STRINGS,
    fc.string({ unit: 'binary', maxLength: max }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  ];
  if (min > 0) options.push(fc.string({ maxLength: min - 1 }));
  if (s.enum) options.push(fc.constantFrom(...(s.enum as string[])).map((v) => ` ${v.toUpperCase()}\u0000`));
  if (s.format === 'uri') options.push(URI_SCHEMES, fc.constantFrom('not a url', '//x', 'http://', ':'));
  if (s.format === 'date' || s.format === 'date-time') {
    options.push(fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '2026/11/29', '29-11-2026', '2026-1-1'));
  }
  if (s.pattern) {
    // Near misses of a value that fits: one character changed, added or taken away.
    options.push(
      fc
        .tuple(validString(s), fc.nat(), ODD_STRINGS)
        .map(([v, i, odd]) => v.slice(0, i % (v.length + 1)) + odd + v.slice((i % (v.length + 1)) + 1)),
    );
  }
  return fc.oneof(...options);
}

function brokenNumber(s: Schema): fc.Arbitrary<Json> {
  const min = s.minimum ?? s.exclusiveMinimum ?? 0;
  const max = s.maximum ?? s.exclusiveMaximum ?? 1e9;
  return fc.oneof(
    fc.integer({ min: -1e12, max: min - 1 }),
    fc.integer({ min: max + 1, max: max + 1e12 }),
    fc.constantFrom(min - 1, max + 1, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 2, 5e-324),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    validNumber(s).map(String),
  );
}

/** A value the schema refuses, at this node or somewhere below it. */
function brokenArb(s: Schema, at: string): fc.Arbitrary<Json> {
  const options: fc.Arbitrary<Json>[] = [GARBAGE];
  if (s.const !== undefined) options.push(fc.constantFrom(!s.const, String(s.const), null, 0));
  if (s.type === 'object') {
    const valid = validArb(s, at);
    const properties: Record<string, Schema> = s.properties ?? {};
    const required: string[] = s.required ?? [];
    if (required.length > 0) {
      options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => without(v, k)));
      options.push(fc.constant({}));
    }
    options.push(fc.tuple(valid, EXTRA_KEYS, GARBAGE).map(([v, k, g]) => withProperty(v, k, g)));
    for (const [name, sub] of Object.entries(properties)) {
      options.push(fc.tuple(valid, brokenArb(sub, join(at, name))).map(([v, b]) => withProperty(v, name, b)));
    }
    // Several things wrong at once.
    const names = Object.keys(properties);
    if (names.length > 1) {
      options.push(
        fc
          .tuple(valid, fc.subarray(names, { minLength: 2 }), GARBAGE)
          .map(([v, picked, g]) => picked.reduce((acc, name) => withProperty(acc, name, g), v)),
      );
    }
    options.push(fc.array(valid, { minLength: 1, maxLength: 2 }));
  } else if (s.type === 'string' || (s.enum && typeof s.enum[0] === 'string')) {
    options.push(brokenString(s));
  } else if (s.type === 'integer' || s.type === 'number') {
    options.push(brokenNumber(s));
  } else if (s.type === 'boolean') {
    options.push(fc.constantFrom('true', 'false', 1, 0, 'yes', [], {}));
  } else if (s.type === 'array') {
    options.push(fc.array(GARBAGE, { minLength: (s.maxItems ?? 4) + 1, maxLength: (s.maxItems ?? 4) + 3 }));
  }
  return fc.oneof(...options);
}

// ---- raw bodies -------------------------------------------------------------------

type BodyPlan =
  | { kind: 'json'; value: Json }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: number[] }
  /** head + open×times + middle + close×times + tail, built only when sent (the plan stays printable). */
  | { kind: 'repeat'; head: string; open: string; middle: string; close: string; times: number; tail: string }
  | { kind: 'gzip'; value: Json }
  | { kind: 'none' };

interface RawPlan {
  body: BodyPlan;
  /** `null`: no Content-Type header at all. */
  contentType: string | null;
  contentEncoding?: string;
  chunked?: boolean;
}

const JSON_TYPE = 'application/json';

function rawArb(valid: fc.Arbitrary<Json>): fc.Arbitrary<RawPlan> {
  const asJson = (body: BodyPlan, extra: Partial<RawPlan> = {}): RawPlan => ({
    body,
    contentType: JSON_TYPE,
    ...extra,
  });
  const malformed = fc.oneof(
    fc.tuple(valid, fc.nat()).map(([v, n]) => {
      const text = JSON.stringify(v);
      return text.slice(0, n % Math.max(1, text.length - 1));
    }),
    fc.constantFrom(
      '{',
      '}',
      '{"a":}',
      "{'a':1}",
      '{"a":1,}',
      '{"a":1}{"b":2}',
      '{"a":1} x',
      '// comment\n{}',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":1e400}',
      '{"a":-}',
      '{"a":"\\x"}',
      '{"a":"\\ud800"}',
      '\ufeff{}',
      'undefined',
      'NaN',
      '',
      ' ',
      'a=1&b=2',
      '<xml/>',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  return fc.oneof(
    // Malformed JSON, scalars and arrays at the top.
    malformed.map((text) => asJson({ kind: 'text', text })),
    fc
      .constantFrom('null', 'true', '0', '-1', '"x"', '[]', '[{}]', '[null]', '{}', '{"__proto__":{"polluted":1}}')
      .map((text) => asJson({ kind: 'text', text })),
    // A body under another name, or no name.
    fc
      .tuple(
        valid,
        fc.constantFrom<string | null>(
          null,
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=xyz',
          'application/xml',
          'application/problem+json',
          'application/json-seq',
          'text/json',
          'xx/yy/zz',
          '*/*',
          ';',
          'application/json, text/plain',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
          'application/json; charset=nonsense',
          'APPLICATION/JSON',
          'application/json;;;',
        ),
      )
      .map(([value, contentType]) => ({ body: { kind: 'json', value }, contentType }) as RawPlan),
    // Bytes that are not UTF-8, and encodings.
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => asJson({ kind: 'bytes', bytes: [...bytes] })),
    fc
      .constantFrom(
        [0xff, 0xfe, 0x7b, 0x00, 0x7d],
        [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d],
        [0xef, 0xbb, 0xbf, 0x7b, 0x7d],
      )
      .map((bytes) => asJson({ kind: 'bytes', bytes: [...bytes] })),
    valid.map((value) => asJson({ kind: 'gzip', value }, { contentEncoding: 'gzip' })),
    fc
      .tuple(
        fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'x-unknown', 'gzip, gzip'),
        fc.uint8Array({ maxLength: 32 }),
      )
      .map(([encoding, bytes]) => asJson({ kind: 'bytes', bytes: [...bytes] }, { contentEncoding: encoding })),
    // Huge, deep, or chunked.
    fc
      .constantFrom(
        repeat('{"a":"', 'x', 70_000, '"}'),
        repeat('{"a":"', '字', 22_000, '"}'),
        repeat('{"a":"', 'x', 2_000_000, '"}'),
        repeat('{"a":"', 'x', 60_000, '"}'),
        { ...repeat('', '[', 30_000, ''), close: ']' },
        { ...repeat('', '{"a":', 10_000, ''), middle: '1', close: '}' },
        repeat('{', '"k":1,', 9_000, '"z":1}'),
        repeat('[', '{},', 20_000, '{}]'),
      )
      .map((body) => asJson(body)),
    valid.map((value) => asJson({ kind: 'json', value }, { chunked: true })),
    fc.constant<RawPlan>({ body: { kind: 'none' }, contentType: JSON_TYPE }),
    fc.constant<RawPlan>({ body: { kind: 'none' }, contentType: null }),
  );
}

function repeat(head: string, open: string, times: number, tail: string): BodyPlan & { kind: 'repeat' } {
  return { kind: 'repeat', head, open, middle: '', close: '', times, tail };
}

function materialise(body: BodyPlan, hint: (name: string) => Json): Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
      return Buffer.from(JSON.stringify(withHints(body.value, hint)) ?? 'null', 'utf8');
    case 'gzip':
      return gzipSync(Buffer.from(JSON.stringify(withHints(body.value, hint)) ?? 'null', 'utf8'));
    case 'text':
      return Buffer.from(body.text, 'utf8');
    case 'bytes':
      return Buffer.from(body.bytes);
    case 'repeat':
      return Buffer.from(
        body.head + body.open.repeat(body.times) + body.middle + body.close.repeat(body.times) + body.tail,
        'utf8',
      );
  }
}

function withHints(value: Json, hint: (name: string) => Json): Json {
  if (Array.isArray(value)) return value.map((v) => withHints(v, hint));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$hint' && typeof value.$hint === 'string') return hint(value.$hint);
    const out: Record<string, Json> = {};
    for (const key of keys) {
      Object.defineProperty(out, key, { value: withHints(value[key], hint), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

// ---- the endpoints, from the document -----------------------------------------------

interface Operation {
  /** `POST /api/applications/{caseNo}` */
  label: string;
  method: string;
  path: string;
  parameters: string[];
  security: string[];
  bodySchema?: Schema;
  /** The body schema is the document's own (not one this test supplies). */
  documentedSchema: boolean;
  /** Every error code the document says this operation may answer. */
  errorCodes: Set<string>;
  needsIdempotencyKey: boolean;
}

function operationsOf(document: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries<any>(document.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      if (!WRITE_METHODS.includes(method)) continue;
      const label = `${method.toUpperCase()} ${path}`;
      const codes = new Set<string>();
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        if (Number(status) < 400) continue;
        const schema = response.content?.['application/json']?.schema;
        for (const code of schema?.properties?.error?.properties?.code?.enum ?? []) codes.add(code);
      }
      const documentedBody = op.requestBody?.content?.[JSON_TYPE]?.schema;
      out.push({
        label,
        documentedSchema: Boolean(documentedBody),
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name),
        security: (op.security ?? []).flatMap((s: Record<string, unknown>) => Object.keys(s)),
        bodySchema:
          documentedBody ?? UNDOCUMENTED_BODIES[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`],
        errorCodes: codes,
        needsIdempotencyKey: codes.has('IDEMPOTENCY_KEY_REQUIRED'),
      });
    }
  }
  return out;
}

// ---- requests -----------------------------------------------------------------------

type AuthVariant = 'valid' | 'none' | 'garbage' | 'expired' | 'staff' | 'stranger' | 'basic' | 'tampered';

interface Plan {
  /** Index into the prepared citizens: whose token and real values are used. */
  citizen: number;
  /** Index into the staff tokens, for staff endpoints. */
  staff: number;
  auth: AuthVariant;
  params: Record<string, string | { $hint: string }>;
  idempotencyKey: string | null;
  /** For gateway-signed endpoints: signed as the payment system, or not. */
  signed: boolean;
  raw: RawPlan;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

interface Prepared {
  citizen: Citizen;
  hints: Record<string, Json>;
}

/** Every byte but letters and digits as %XX (encodeURIComponent throws on a lone surrogate). */
function percentEncoded(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/** One HTTP request from a loopback address of its own, so per-address limits do not pile up. */
let requestCount = 0;
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  chunked: boolean,
): Promise<Reply> {
  const n = requestCount++;
  const localAddress = `127.2.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: { ...headers, ...(body && !chunked ? { 'content-length': String(body.length) } : {}) },
        localAddress,
        agent: false,
        timeout: 30_000,
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        response.on('error', reject);
      },
    );
    // The server may answer (413, 415) and close before it has read a big body: that is fine.
    request.on('error', (err) => {
      if (!answered) reject(err);
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
    if (body && chunked) {
      const half = Math.floor(body.length / 2);
      request.write(body.subarray(0, half));
      request.end(body.subarray(half));
    } else {
      request.end(body);
    }
  });
}

// ---- what every answer must be -------------------------------------------------------

function resolveField(root: Schema, path: string): Schema | undefined {
  if (path === '') return root;
  let node: Schema | undefined = root;
  for (const segment of path.split('.')) {
    node =
      node?.properties && Object.prototype.hasOwnProperty.call(node.properties, segment)
        ? node.properties[segment]
        : undefined;
    if (!node) return undefined;
  }
  return node;
}

/** Why this field message does not name its field, or undefined when it does. */
function fieldProblem(root: Schema | undefined, key: string, message: unknown): string | undefined {
  if (typeof message !== 'string' || !CJK.test(message)) return `fields["${key}"] is not a Chinese message`;
  if (!root) return `fields["${key}"] on an endpoint without a request schema`;
  // The body as a whole (not an object at all).
  if (key === '_' && (message.includes(root.title ?? '提交的内容') || message.includes('提交的内容'))) return undefined;
  // A known field: its title is in the message.
  const node = resolveField(root, key);
  if (node?.title && message.includes(node.title)) return undefined;
  // An unknown field: the message quotes it, and the path before it is an object of the schema.
  const candidates = [
    ['', key],
    ...[...key.matchAll(/\./g)].map((m) => [key.slice(0, m.index), key.slice(m.index! + 1)]),
  ];
  if (key === '_') candidates.push(['', '']);
  for (const [prefix, name] of candidates) {
    const parent = resolveField(root, prefix!);
    if (parent?.type === 'object' && message.includes(`不认识的字段“${name}”`)) return undefined;
  }
  if (!node) return `fields key "${key}" is not a field of the request schema, nor an unknown field it names`;
  if (!node.title) return `the schema gives field "${key}" no title to name it by`;
  return `fields["${key}"] = "${message}" does not name the field (title "${node.title}")`;
}

function checkReply(
  op: Operation,
  reply: Reply,
  sentSchemaValid: boolean | undefined,
  undocumented: Set<string>,
): void {
  const where = `${op.label} answered ${reply.status} ${reply.text.slice(0, 600)}`;
  if (reply.status >= 500) throw new Error(`a 5xx: ${where}`);
  if (reply.status >= 200 && reply.status < 300 && sentSchemaValid === false) {
    throw new Error(`accepted a body its schema refuses: ${where}`);
  }
  if (reply.status < 400) return;
  let body: any;
  try {
    body = JSON.parse(reply.text);
  } catch {
    throw new Error(`a 4xx that is not JSON: ${where}`);
  }
  const error = body?.error;
  if (typeof error?.code !== 'string' || typeof error?.message !== 'string') {
    throw new Error(`a 4xx without { error: { code, message } }: ${where}`);
  }
  if (!CJK.test(error.message)) throw new Error(`a 4xx whose message is not Chinese: ${where}`);
  if (!op.errorCodes.has(error.code)) undocumented.add(`${op.label} → ${reply.status} ${error.code}`);
  if (error.code !== 'VALIDATION_FAILED') return;
  if (reply.status !== 400) throw new Error(`VALIDATION_FAILED with status ${reply.status}: ${where}`);
  const fields = error.fields;
  if (!fields || typeof fields !== 'object' || Object.keys(fields).length === 0) {
    throw new Error(`VALIDATION_FAILED without fields naming what is wrong: ${where}`);
  }
  for (const [key, message] of Object.entries(fields)) {
    const problem = fieldProblem(op.bodySchema, key, message);
    if (problem) throw new Error(`${problem}: ${where}`);
  }
}

// ---- the run ------------------------------------------------------------------------

let stack: Stack;
let bff: Service;
let document: any;
let operations: Operation[] = [];
const prepared: Prepared[] = [];
const bffLines: string[] = [];
/** Error codes answered that the operation's document entry does not list. */
const undocumented = new Set<string>();
/** Operations whose schema-derived runs all passed (a failure stops a property early). */
const fullyRun = new Set<string>();
/** Per operation: how many answers of each code, to show the fuzz got past the first checks. */
const seen = new Map<string, Map<string, number>>();

/** Tokens that are ours in form but wrong in content. */
const forged = {
  expired: new TokenService({
    secret: TEST_SECRETS.JWT_SECRET,
    citizenTtlS: 60,
    staffTtlS: 60,
    now: () => Date.now() - 3_600_000,
  }).issueCitizenToken('A0123456789abcdef01234567').token,
  stranger: new TokenService({ secret: TEST_SECRETS.JWT_SECRET, citizenTtlS: 600, staffTtlS: 600 }).issueCitizenToken(
    'Anobody000000000000000000',
  ).token,
  staff: new TokenService({ secret: TEST_SECRETS.JWT_SECRET, citizenTtlS: 600, staffTtlS: 600 }).issueStaffToken({
    staffId: 'fuzz-clerk',
    role: 'windowClerk',
    regionCode: '6401',
    training: false,
  }).token,
};

beforeAll(async () => {
  stack = await startStack({ label: 'fuzz' });
  bff = await startBffProcess(stack, { LOG_LEVEL: 'error' }, (line) => {
    bffLines.push(line);
    if (bffLines.length > 200) bffLines.shift();
    for (const wake of lineWaiters) wake();
  });
  const reply = await fetch(`${bff.url}/openapi.json`);
  document = await reply.json();
  // Sign-in last: a sign-in that trips the identity platform's circuit breaker
  // would otherwise fail the face checks fuzzed after it, hiding whose fault it is.
  operations = operationsOf(document).sort(
    (a, b) => Number(a.label === 'POST /api/auth/sessions') - Number(b.label === 'POST /api/auth/sessions'),
  );

  // Every person of the roster signs in; most pass the face check and answer
  // the questions, so submissions get as far as the real checks; two have a
  // case (one awaiting the premium, one completed), and some have paid the postage.
  const citizens = ROSTER.map((person) => new Citizen(bff.url, stack.simulators.urls.identity, person));
  await Promise.all(
    citizens.map(async (citizen) => {
      await citizen.signIn();
      const face = await citizen.faceCheck();
      await citizen.eligibility();
      prepared.push({
        citizen,
        hints: {
          faceCheckId: face.body.checkId,
          'consent.noticeVersion': NOTICE.version,
          'employment.type': citizen.person.employmentType,
          // The cashier may only send the browser back to our own pages.
          returnUrl: `${citizen.bffUrl}/pages/review/index`,
          // A past day (China time) whose daily summary a supervisor may have made again.
          date: chinaToday(new Date(Date.now() - 86_400_000)),
        },
      });
    }),
  );
  const byKey = (key: string) => prepared.find((p) => p.citizen.person.key === key)!;
  await Promise.all(
    ['eligible-vendor', 'part-time-worker'].map(async (key, index) => {
      const { citizen, hints } = byKey(key);
      const submitted = await citizen.apply(NOTICE.version);
      if (submitted.status !== 201) throw new Error(`${key} could not submit: ${JSON.stringify(submitted.body)}`);
      const caseNo = submitted.body.caseNo as string;
      hints.caseNo = caseNo;
      const view = await citizen.waitForCase(caseNo, (v) => atRest(v) && v.status !== 'processing');
      if (index === 1) {
        expect(view.matters.find((m: any) => m.id === 'premiumDeclaration').state).toBe('decided');
        expect((await citizen.payPremium(caseNo)).status).toBe(200);
        await citizen.waitForCase(caseNo, (v) => v.status === 'completed');
      }
    }),
  );
  for (const key of ['self-employed-no-employees', 'ended-ningxia-medical', 'wants-back-payment']) {
    const entry = byKey(key);
    entry.hints.postageOrderId = await entry.citizen.payPostage();
    entry.hints.orderId = entry.hints.postageOrderId;
  }
  // Staff: one token per role; one reported problem whose id the staff endpoints can use.
  for (const username of FUZZ_STAFF) {
    const account = STAFF_ACCOUNTS.find((a) => a.username === username)!;
    const reply = await fetch(new URL('/api/staff/sessions', bff.url), {
      method: 'POST',
      headers: { 'content-type': JSON_TYPE },
      body: JSON.stringify({ username, password: account.password }),
    });
    if (reply.status !== 201) throw new Error(`${username} could not sign in: ${await reply.text()}`);
    staffTokens.push(((await reply.json()) as { token: string }).token);
  }
  const reporter = prepared[0]!;
  const reported = await reporter.citizen.call('POST', '/api/problems', {
    category: REPORTABLE_CATEGORIES[0],
    text: '办理进度页面打不开，请帮忙看看',
  });
  if (reported.status !== 201) throw new Error(`could not report a problem: ${JSON.stringify(reported.body)}`);
  for (const entry of prepared) entry.hints.problemId = reported.body.problemId as string;
  // Those with a case first: the citizen arbitrary picks them more often.
  prepared.sort(
    (a, b) =>
      Number(Boolean(b.hints.caseNo)) - Number(Boolean(a.hints.caseNo)) ||
      a.citizen.person.key.localeCompare(b.citizen.person.key),
  );
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

function planArb(op: Operation): { schemaPlans: fc.Arbitrary<Plan>; rawPlans: fc.Arbitrary<Plan> } {
  for (const name of op.parameters) {
    if (!PATH_PARAMETERS[name]) throw new Error(`${op.label}: no arbitrary for the path parameter "${name}"`);
  }
  for (const scheme of op.security) {
    if (scheme !== 'citizenToken' && scheme !== 'staffToken') {
      throw new Error(`${op.label}: no way to obtain a "${scheme}" token for fuzzing`);
    }
  }
  const body = op.bodySchema;
  const valid = body ? validArb(body, 'body') : fc.jsonValue({ maxDepth: 3 });
  const broken = body ? brokenArb(body, 'body') : GARBAGE;
  const params = fc.record(
    Object.fromEntries(op.parameters.map((name) => [name, PATH_PARAMETERS[name]!])) as Record<
      string,
      fc.Arbitrary<string | { $hint: string }>
    >,
  );
  const auth: fc.Arbitrary<AuthVariant> =
    op.security.length > 0
      ? fc.oneof(
          { weight: 12, arbitrary: fc.constant<AuthVariant>('valid') },
          {
            weight: 1,
            arbitrary: fc.constantFrom<AuthVariant>(
              'none',
              'garbage',
              'expired',
              'staff',
              'stranger',
              'basic',
              'tampered',
            ),
          },
        )
      : fc.constant<AuthVariant>('none');
  const idempotencyKey: fc.Arbitrary<string | null> = op.needsIdempotencyKey
    ? fc.oneof(
        { weight: 8, arbitrary: fc.uuid() },
        {
          weight: 1,
          arbitrary: fc.constantFrom<string | null>(null, '', 'short', 'x'.repeat(65), 'a b c d e f', 'clé-123456é'),
        },
        { weight: 1, arbitrary: fc.string({ unit: PRINTABLE_ASCII, maxLength: 80 }) },
      )
    : fc.constant(null);
  const common = {
    citizen: fc.oneof(fc.constantFrom(0, 1), fc.nat({ max: ROSTER.length - 1 })),
    staff: fc.nat({ max: FUZZ_STAFF.length - 1 }),
    auth,
    params,
    idempotencyKey,
    signed: GATEWAY_SIGNED.has(op.label.replace(/\{(\w+)\}/g, ':$1')) ? fc.boolean() : fc.constant(false),
  };
  const schemaBody = fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: broken });
  return {
    schemaPlans: fc.record({
      ...common,
      raw: schemaBody.map((value): RawPlan => ({ body: { kind: 'json', value }, contentType: JSON_TYPE })),
    }),
    rawPlans: fc.record({ ...common, raw: rawArb(valid) }),
  };
}

function authHeader(variant: AuthVariant, token: string): Record<string, string> {
  switch (variant) {
    case 'valid':
      return { authorization: `Bearer ${token}` };
    case 'none':
      return {};
    case 'garbage':
      return { authorization: 'Bearer not.a.token' };
    case 'basic':
      return { authorization: 'Basic YWRtaW46YWRtaW4=' };
    case 'tampered':
      return { authorization: `Bearer ${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}` };
    case 'expired':
    case 'stranger':
    case 'staff':
      return { authorization: `Bearer ${forged[variant]}` };
  }
}

async function perform(op: Operation, plan: Plan): Promise<void> {
  const who = prepared[plan.citizen % prepared.length]!;
  const hint = (name: string) => who.hints[name] ?? `no-${name}-for-${who.citizen.person.key}`;
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = plan.params[name]!;
    return percentEncoded(typeof value === 'string' ? value : String(hint(value.$hint)));
  });
  const body = materialise(plan.raw.body, hint);
  const headers: Record<string, string> = {
    ...authHeader(plan.auth, op.security.includes('staffToken') ? staffTokens[plan.staff]! : who.citizen.token),
    ...(plan.raw.contentType !== null ? { 'content-type': plan.raw.contentType } : {}),
    ...(plan.raw.contentEncoding ? { 'content-encoding': plan.raw.contentEncoding } : {}),
    ...(plan.idempotencyKey !== null ? { 'idempotency-key': plan.idempotencyKey } : {}),
  };
  if (plan.signed) {
    Object.assign(
      headers,
      signedHeaders(PAYMENT_NOTIFY_CALLER, stack.simulators.secrets.paymentNotify, {
        method: op.method,
        path,
        body: body?.toString('utf8') ?? '',
      }),
    );
  }
  // Whether the schema accepts what was sent (known only for a plain JSON body).
  let schemaValid: boolean | undefined;
  if (op.bodySchema && plan.raw.body.kind === 'json' && plan.raw.contentType === JSON_TYPE && body) {
    schemaValid = check(op.bodySchema, JSON.parse(body.toString('utf8'))).ok;
  }
  const requestId = `fuzz-${requestCount}-${SEED}`;
  headers['x-request-id'] = requestId;
  const reply = await send(new URL(path, bff.url), op.method, headers, body, plan.raw.chunked ?? false);
  let code = String(reply.status);
  try {
    code = JSON.parse(reply.text)?.error?.code ?? code;
  } catch {
    // not JSON: checkReply says so when it matters
  }
  const counts = seen.get(op.label) ?? new Map<string, number>();
  counts.set(code, (counts.get(code) ?? 0) + 1);
  seen.set(op.label, counts);
  // Only a request the BFF could have trusted may be accepted although the schema refuses it.
  try {
    checkReply(op, reply, plan.signed || !GATEWAY_SIGNED.has(op.label) ? schemaValid : undefined, undocumented);
  } catch (err) {
    const logged = reply.status >= 500 ? await bffErrorsOf(requestId) : [];
    const sent = body ? body.subarray(0, 300).toString('utf8') : '(no body)';
    throw new Error(
      `${(err as Error).message}\n  sent ${op.method} ${path} ${JSON.stringify(headers['content-type'] ?? null)}: ${sent}` +
        logged.map((l) => `\n  BFF logged: ${l}`).join(''),
    );
  }
}

const lineWaiters = new Set<() => void>();

/** Resolves at the BFF's next output line, or after `ms`. */
function nextBffLine(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      lineWaiters.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    lineWaiters.add(wake);
  });
}

/** What the BFF logged as an error for one request: the error's type and message, no stack. */
async function bffErrorsOf(requestId: string): Promise<string[]> {
  const pick = () => bffLines.filter((line) => line.includes(requestId) && line.includes('"level":"error"'));
  // The line may arrive just after the reply: wait for it, up to a second.
  const deadline = Date.now() + 1_000;
  while (pick().length === 0 && Date.now() < deadline) await nextBffLine(deadline - Date.now());
  return pick().map((line) => {
    const record = JSON.parse(line) as { msg?: string; err?: { type?: string; name?: string; message?: string } };
    return `${record.msg}: ${record.err?.type ?? record.err?.name ?? 'Error'}: ${record.err?.message ?? ''}`.slice(
      0,
      300,
    );
  });
}

/** fc.assert, with the seed and how to replay it in the message. */
async function fuzz(op: Operation, arbitrary: fc.Arbitrary<Plan>, numRuns: number): Promise<void> {
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, (plan) => perform(op, plan)),
      { seed: SEED, numRuns, includeErrorInReport: true },
    );
  } catch (err) {
    throw new Error(
      `${op.label} failed with FUZZ_SEED=${SEED} (replay: FUZZ_SEED=${SEED} npx jest tests/engine/fuzz.test.ts)\n` +
        (err as Error).message.replace(/\n\s+at [\s\S]*$/, ''),
    );
  }
}

describe('fuzzing every write endpoint of the BFF', () => {
  it('finds the write endpoints in the OpenAPI document and can build inputs for each', () => {
    expect(operations.map((o) => o.label)).toEqual(
      expect.arrayContaining(['POST /api/applications', 'PUT /api/drafts/current', 'POST /api/eligibility']),
    );
    for (const op of operations) expect(() => planArb(op)).not.toThrow();
  });

  // One test per endpoint and kind, named from the document at run time.
  it.each(['schema', 'raw'] as const)('never answers 5xx, always a Chinese error body (%s bodies)', async (kind) => {
    const failures: string[] = [];
    for (const op of operations) {
      const { schemaPlans, rawPlans } = planArb(op);
      try {
        if (kind === 'schema') {
          await fuzz(op, schemaPlans, RUNS);
          fullyRun.add(op.label);
        } else await fuzz(op, rawPlans, Math.ceil(RUNS / 2));
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    expect(failures).toEqual([]);
  });

  // Of the endpoints whose fuzzing ran to the end (a failed one is reported above).
  it('got past the validation of every documented request schema, and was refused by it too', () => {
    const before = new Set([
      'VALIDATION_FAILED',
      'RATE_LIMITED',
      'UNAUTHENTICATED',
      'TOKEN_EXPIRED',
      'MALFORMED_JSON',
      'UNSUPPORTED_MEDIA_TYPE',
      'BODY_TOO_LARGE',
    ]);
    const reach = operations
      .filter((op) => op.documentedSchema && fullyRun.has(op.label))
      .map((op) => {
        const codes = seen.get(op.label) ?? new Map<string, number>();
        return {
          op: op.label,
          refused: (codes.get('VALIDATION_FAILED') ?? 0) > 0,
          gotPast: [...codes.keys()].some((code) => !before.has(code)),
        };
      });
    expect(reach.filter((r) => !r.refused || !r.gotPast)).toEqual([]);
  });

  it('answers only the error codes the OpenAPI document lists for the endpoint', () => {
    expect([...undocumented].sort()).toEqual([]);
  });
});

// FUZZ_VERBOSE=1: which codes each endpoint answered.
afterAll(() => {
  if (process.env.FUZZ_VERBOSE) {
    for (const [op, counts] of seen) console.log(op, Object.fromEntries(counts));
  }
});
