// The few browser pages the host app's stand-ins show (sign-in, cashier):
// plain Chinese, large type, no external assets, everything escaped.
// The payment simulator's cashier uses these too.
import type { Context } from 'koa';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:20px;line-height:1.6;color:#1a1a1a;background:#f4f6f8}
header{background:#c8102e;color:#fff;padding:16px 20px}
header h1{margin:0;font-size:22px;font-weight:600}
main{max-width:480px;margin:0 auto;padding:16px}
p{margin:0 0 16px}
.note{font-size:17px;color:#444}
.list{list-style:none;margin:0;padding:0}
.list li{margin:0 0 12px}
.choice{display:block;min-height:64px;padding:14px 16px;background:#fff;border:2px solid #d0d5db;border-radius:12px;color:#1a1a1a;text-decoration:none}
.choice:focus,.choice:hover{border-color:#c8102e;outline:3px solid #ffd54f;outline-offset:2px}
.choice .who{display:block;font-size:22px;font-weight:600}
.choice .what{display:block;font-size:18px;color:#444}
.card{background:#fff;border-radius:12px;padding:20px;margin:0 0 16px}
.amount{font-size:40px;font-weight:700;margin:8px 0;color:#c8102e}
.button{display:block;width:100%;min-height:56px;font-size:22px;border:0;border-radius:12px;background:#c8102e;color:#fff;margin:0 0 12px;text-align:center;text-decoration:none;line-height:56px;cursor:pointer}
.button:focus{outline:3px solid #ffd54f;outline-offset:2px}
.link{display:block;text-align:center;font-size:20px;color:#0b57d0;padding:12px}
.error{border-left:6px solid #c8102e}
`;

export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1></header>
<main>
${body}
</main>
</body>
</html>`;
}

/** Sends a page that nothing may frame, cache or leak through the Referer header. */
export function sendPage(ctx: Context, status: number, html: string, options: { allowForms?: boolean } = {}): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Content-Type-Options', 'nosniff');
  // A form's POST ends in a redirect to the caller's returnUrl, which form-action would block.
  const formAction = options.allowForms ? '' : " form-action 'none';";
  ctx.set(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none';${formAction}`,
  );
  ctx.body = html;
}

/** A plain page that says what went wrong and what to do. */
export function errorPage(title: string, message: string, advice: string): string {
  return renderPage(
    title,
    `<div class="card error" role="alert"><p><strong>${escapeHtml(message)}</strong></p><p class="note">${escapeHtml(advice)}</p></div>`,
  );
}
