/**
 * Turns JSON Schema validation errors (ajv's shape) into plain-Chinese
 * messages that name the field, keyed by the field's dotted path. Used by the
 * BFF, the simulators and the mini-app, so a citizen reads the same sentence
 * wherever the check ran.
 *
 * Schemas give each property a Chinese `title`; a pattern may add
 * `x-format-hint` (e.g. '应为 11 位手机号码').
 */
import type { FieldErrors } from './errors';

/** The part of an ajv ErrorObject this needs (ajv itself is not imported here). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

type Schema = {
  title?: string;
  'x-format-hint'?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  [key: string]: unknown;
};

function pointerToSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function schemaAt(root: Schema, segments: string[]): Schema | undefined {
  let node: Schema | undefined = root;
  for (const segment of segments) {
    if (!node) return undefined;
    node = /^\d+$/.test(segment) && node.items ? node.items : node.properties?.[segment];
  }
  return node;
}

function labelFor(root: Schema, segments: string[]): string {
  const node = schemaAt(root, segments);
  if (node?.title) return node.title;
  return segments.length ? segments[segments.length - 1]! : '提交的内容';
}

/** A field answered by choosing (radio buttons, a picker, yes/no), not by typing: its message says 请选择. */
function isChoice(node: Schema | undefined): boolean {
  return Array.isArray(node?.enum) || node?.type === 'boolean';
}

function enumLabels(node: Schema | undefined, allowed: unknown[]): string {
  const labels = node?.['x-enum-labels'] as Record<string, string> | undefined;
  return allowed.map((v) => (labels && labels[String(v)]) || String(v)).join('、');
}

export function describeSchemaErrors(root: object, errors: readonly SchemaError[]): FieldErrors {
  const schema = root as Schema;
  // A Map: a field named like an object built-in (constructor, __proto__) must not vanish.
  const fields = new Map<string, string>();
  for (const error of errors) {
    // `if` only reports that a `then` failed; the `then` error itself names the field.
    if (error.keyword === 'if') continue;
    let segments = pointerToSegments(error.instancePath);
    const node = schemaAt(schema, segments);
    let message: string;
    switch (error.keyword) {
      case 'required': {
        segments = [...segments, String(error.params.missingProperty)];
        message = `${isChoice(schemaAt(schema, segments)) ? '请选择' : '请填写'}${labelFor(schema, segments)}`;
        break;
      }
      case 'additionalProperties': {
        segments = [...segments, String(error.params.additionalProperty)];
        message = `不认识的字段“${segments[segments.length - 1]}”，请删除`;
        break;
      }
      case 'type':
        message = `${labelFor(schema, segments)}的类型不对`;
        break;
      case 'pattern':
      case 'format':
        message = `${labelFor(schema, segments)}格式不正确${node?.['x-format-hint'] ? `，${node['x-format-hint']}` : ''}`;
        break;
      case 'minLength':
        message =
          error.params.limit === 1
            ? `请填写${labelFor(schema, segments)}`
            : `${labelFor(schema, segments)}至少 ${String(error.params.limit)} 个字`;
        break;
      case 'maxLength':
        message = `${labelFor(schema, segments)}最多 ${String(error.params.limit)} 个字`;
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        message = `${labelFor(schema, segments)}不能小于 ${String(error.params.limit)}`;
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        message = `${labelFor(schema, segments)}不能大于 ${String(error.params.limit)}`;
        break;
      case 'enum':
        message = `${labelFor(schema, segments)}只能选：${enumLabels(node, (error.params.allowedValues as unknown[]) ?? [])}`;
        break;
      case 'const':
        message = `${labelFor(schema, segments)}不符合要求`;
        break;
      case 'minItems':
        message = `${labelFor(schema, segments)}至少要有 ${String(error.params.limit)} 项`;
        break;
      case 'maxItems':
        message = `${labelFor(schema, segments)}最多 ${String(error.params.limit)} 项`;
        break;
      default:
        message = `${labelFor(schema, segments)}填写有误`;
    }
    const path = segments.join('.') || '_';
    if (!fields.has(path)) fields.set(path, message);
  }
  return Object.fromEntries(fields);
}
