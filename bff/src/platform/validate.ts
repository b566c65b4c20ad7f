// `validate(SCHEMA)` checks the body (or `validate(SCHEMA, 'query')` the query
// string) against a shared JSON Schema and puts the checked value on
// `ctx.state.input`; handlers read only that, never ctx.request.body. A
// failure is 400 VALIDATION_FAILED with one Chinese message per field path,
// e.g. fields['card.mailingAddress.phone'] = '手机号格式不正确，…'.
import { check } from '@flexins/shared/server';
import type { Context, Next } from 'koa';
import { AppError } from './errors';
import { annotate, type InputSource } from './openapi';

/** The state a handler behind `validate<T>(…)` can rely on. */
export interface InputState<T> {
  input: T;
}

/**
 * Query values arrive as strings (or arrays of strings when a name repeats):
 * a query schema describes strings, with a `pattern` for numbers or dates.
 */
export function validate<T>(schema: object, source: InputSource = 'body') {
  // Compile now, so a broken schema stops the BFF at start, not on a request.
  check(schema, undefined);
  const middleware = async (ctx: Context, next: Next) => {
    // A missing body is an empty form: the citizen reads "请填写…" per field.
    const raw: unknown = source === 'body' ? (ctx.request.body ?? {}) : { ...ctx.query };
    const checked = check<T>(schema, raw);
    if (!checked.ok) throw new AppError('VALIDATION_FAILED', undefined, checked.fields);
    (ctx.state as InputState<T>).input = checked.value;
    await next();
  };
  return annotate(middleware, { input: { source, schema } });
}
