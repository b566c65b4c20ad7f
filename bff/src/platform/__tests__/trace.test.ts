import {
  currentSpan,
  formatTraceparent,
  inNewTrace,
  outgoingTraceparent,
  parseTraceparent,
  startSpan,
  traceFields,
  withSpan,
} from '../trace';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('W3C traceparent', () => {
  it('reads a well-formed header and writes it back the same', () => {
    const header = `00-${TRACE_ID}-${PARENT_ID}-01`;
    const span = parseTraceparent(header);
    expect(span).toMatchObject({ traceId: TRACE_ID, spanId: PARENT_ID, traceFlags: 1, isRemote: true });
    expect(formatTraceparent(span!)).toBe(header);
  });

  it('refuses malformed, all-zero and version-ff headers, and extra fields on version 00', () => {
    for (const bad of [
      undefined,
      '',
      'garbage',
      `00-${TRACE_ID}-${PARENT_ID}`,
      `00-${'0'.repeat(32)}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `ff-${TRACE_ID}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${PARENT_ID}-01-extra`,
      `00-${TRACE_ID.slice(1)}x-${PARENT_ID}-01`,
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it('takes a later version with more fields, as the standard asks', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${PARENT_ID}-00-whatever`)).toMatchObject({ traceId: TRACE_ID });
  });

  it('makes a child in the same trace with a new span id, or a new sampled trace', () => {
    const parent = parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-00`)!;
    const child = startSpan(parent);
    expect(child).toMatchObject({ traceId: TRACE_ID, traceFlags: 0 });
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe(PARENT_ID);
    const fresh = startSpan();
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.traceId).not.toBe(TRACE_ID);
    expect(fresh.traceFlags).toBe(1);
  });
});

describe('the current trace', () => {
  it('is kept across awaits and timers inside withSpan, and is gone outside it', async () => {
    const span = startSpan(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-01`));
    expect(currentSpan()).toBeUndefined();
    expect(traceFields()).toEqual({});
    const seen = await withSpan(span, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.resolve();
      return { fields: traceFields(), outgoing: outgoingTraceparent() };
    });
    expect(seen.fields).toEqual({ traceId: TRACE_ID, spanId: span.spanId });
    // a department call is a child of the request's span: same trace, a span id of its own
    expect(seen.outgoing).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(seen.outgoing).not.toContain(span.spanId);
    expect(currentSpan()).toBeUndefined();
  });

  it('keeps concurrent traces apart', async () => {
    const seen = await Promise.all(
      [1, 2, 3].map(() =>
        inNewTrace(async () => {
          const before = currentSpan()!.traceId;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
          return [before, currentSpan()!.traceId];
        }),
      ),
    );
    for (const [before, after] of seen) expect(after).toBe(before);
    expect(new Set(seen.map(([id]) => id)).size).toBe(3);
  });

  it('sends a traceparent of a new trace for a call made outside any trace', () => {
    expect(outgoingTraceparent()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
