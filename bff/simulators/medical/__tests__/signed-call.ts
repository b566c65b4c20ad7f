// A signed call that keeps the whole reply, `error.details` included (the
// GatewayClient's outcome drops details, and a 409's existing number is in them).
import { randomUUID } from 'node:crypto';
import { GATEWAY_HEADERS, signedHeaders } from '@flexins/shared/server';
import { TEST_CALLER, TEST_SECRET, type TestSimulator } from '../../test-support';

export interface SignedReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any path of a JSON reply
  body: any;
}

/** The part of the OpenAPI document the tests read. */
export interface OpenApiDocument {
  info: { title: string };
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters: { name: string }[];
        responses: { default: { description: string } };
      }
    >
  >;
}

export async function openApiOf(sim: TestSimulator): Promise<OpenApiDocument> {
  return (await (await fetch(`${sim.url}/openapi.json`)).json()) as OpenApiDocument;
}

export async function signedPost(
  sim: TestSimulator,
  path: string,
  body: unknown,
  /** `null` sends none (queries, or to test the refusal). */
  idempotencyKey: string | null = randomUUID(),
): Promise<SignedReply> {
  const text = JSON.stringify(body);
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedHeaders(TEST_CALLER, TEST_SECRET, { method: 'POST', path, body: text }),
      ...(idempotencyKey ? { [GATEWAY_HEADERS.idempotencyKey]: idempotencyKey } : {}),
    },
    body: text,
  });
  return { status: response.status, body: await response.json() };
}
