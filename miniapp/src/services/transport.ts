// One HTTP call as the platform makes it: the browser's own fetch on H5, Taro.request in
// the mini-program. Taro.request's H5 code (a polyfilled fetch, JSONP and their helpers,
// 35 KB before compression) was a chunk every page that talks to the BFF loaded first;
// the build writes TARO_ENV out, so each build keeps only its own branch.
// services/http.ts and staff/services/http.ts turn the reply into data or an ApiError.
import Taro from '@tarojs/taro';

export interface Call {
  url: string;
  method: string;
  header: Record<string, string>;
  data?: unknown;
  timeout: number;
  /** How to read the reply: JSON (the default; a body that is not JSON is given as text), text or bytes. */
  as?: 'json' | 'text' | 'arraybuffer';
}

export interface Reply {
  statusCode: number;
  data: unknown;
  /** Reply headers, names in lower case. */
  header: Record<string, string>;
}

/** Sends one call; rejects only when no reply came (network, time-out), with "timeout" in the message for the latter. */
export function send(call: Call): Promise<Reply> {
  // A plain condition in a plain function: webpack drops the unused branch and then Taro's
  // request (babel turns an async function into a state machine webpack cannot read).
  return process.env.TARO_ENV === 'h5' ? sendWithFetch(call) : sendWithTaro(call);
}

async function sendWithTaro(call: Call): Promise<Reply> {
  const reply = await Taro.request({
    url: call.url,
    // Taro's typings name the mini-program methods; PATCH goes through in WeChat.
    method: call.method as 'GET',
    header: call.header,
    ...(call.data === undefined ? {} : { data: call.data as Record<string, unknown> }),
    timeout: call.timeout,
    dataType: call.as === 'text' ? 'text' : 'json',
    ...(call.as === 'text' ? { responseType: 'text' as const } : {}),
    ...(call.as === 'arraybuffer' ? { responseType: 'arraybuffer' as const } : {}),
  });
  const header: Record<string, string> = {};
  for (const [name, value] of Object.entries((reply.header ?? {}) as Record<string, unknown>)) {
    header[name.toLowerCase()] = String(value);
  }
  return { statusCode: reply.statusCode, data: reply.data, header };
}

async function sendWithFetch(call: Call): Promise<Reply> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, call.timeout);
  try {
    const response = await fetch(call.url, {
      method: call.method,
      headers: call.header,
      ...(call.data === undefined ? {} : { body: JSON.stringify(call.data) }),
      signal: controller.signal,
    });
    const header: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      header[name.toLowerCase()] = value;
    });
    let data: unknown;
    if (call.as === 'arraybuffer' && response.ok) {
      data = await response.arrayBuffer();
    } else {
      const text = await response.text();
      data = call.as === 'text' ? text : jsonOrText(text);
    }
    return { statusCode: response.status, data, header };
  } catch (err) {
    if (timedOut) throw new Error('request:fail timeout');
    throw new Error(`request:fail ${(err as Error)?.message ?? ''}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A JSON body as its value; an empty body as undefined; anything else as its text. */
function jsonOrText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
