// JSON Schema checks on the server side: one ajv instance, schemas compiled
// once, failures as Chinese messages keyed by field path.
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldErrors } from '../src/errors';
import { describeSchemaErrors } from '../src/validation-messages';

export type Checked<T> = { ok: true; value: T } | { ok: false; fields: FieldErrors };

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true, removeAdditional: false });
  addFormats(ajv, ['date', 'date-time', 'uri', 'email']);
  // Annotations our schemas carry for messages and documentation.
  ajv.addKeyword({ keyword: 'x-format-hint', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-enum-labels', schemaType: 'object' });
  return ajv;
}

const shared = createAjv();
const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles (once per schema object) and checks `data`. */
export function check<T>(schema: object, data: unknown): Checked<T> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = shared.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(data)) return { ok: true, value: data as T };
  return { ok: false, fields: describeSchemaErrors(schema, validate.errors ?? []) };
}
