// The OpenAPI document a simulator serves, built from its route table and
// schemas, so the document and the checks cannot drift apart.
import { GATEWAY_HEADERS } from '@flexins/shared/server';
import { COMMON_ERRORS, type SimErrorCatalog } from './errors';
import type { SimulatorDefinition } from './types';

const ERROR_REPLY = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string', description: '中文说明' },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
        details: { type: 'object' },
      },
    },
  },
};

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function buildOpenApi(definition: SimulatorDefinition): object {
  const catalog: SimErrorCatalog = { ...COMMON_ERRORS, ...definition.errors };
  const paths: Record<string, Record<string, object>> = {};
  for (const route of definition.routes) {
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      security: [{ gatewaySignature: [] }],
      parameters: route.write
        ? [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 128 } }]
        : [],
      responses: {
        200: { description: '成功', content: { 'application/json': { schema: route.reply } } },
        default: {
          description: route.errors.map((code) => `${code}：${catalog[code]?.message ?? ''}`).join('；') || '错误',
          content: { 'application/json': { schema: ERROR_REPLY } },
        },
      },
    };
    if (route.request && route.method === 'POST') {
      operation.requestBody = { required: true, content: { 'application/json': { schema: route.request } } };
    }
    (paths[toOpenApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: definition.title, version: '1.0.0', description: '模拟的部门系统接口（用于联调与测试）' },
    paths,
    components: {
      securitySchemes: {
        gatewaySignature: {
          type: 'apiKey',
          in: 'header',
          name: GATEWAY_HEADERS.signature,
          description:
            `HMAC-SHA256(secret, METHOD\\nPATH?QUERY\\n${GATEWAY_HEADERS.timestamp}\\n${GATEWAY_HEADERS.nonce}\\nsha256(body))，` +
            `同时带 ${GATEWAY_HEADERS.caller}、${GATEWAY_HEADERS.timestamp}（毫秒）、${GATEWAY_HEADERS.nonce}`,
        },
      },
      'x-error-codes': catalog,
    },
  };
}
