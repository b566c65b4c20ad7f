import Router from '@koa/router';
import { createLogger } from '@flexins/shared/server';
import request from 'supertest';
import { createApp } from '../../app';
import { validate, type InputState } from '../validate';
import { useTestDatabase } from '../../../test/database';

const db = useTestDatabase();

const PHONE = {
  type: 'string',
  title: '手机号',
  pattern: '^1[3-9]\\d{9}$',
  'x-format-hint': '请填写 11 位手机号码',
} as const;

const FORM = {
  type: 'object',
  required: ['employmentType', 'card'],
  properties: {
    employmentType: {
      type: 'string',
      title: '就业形式',
      enum: ['selfEmployed', 'partTime'],
      'x-enum-labels': { selfEmployed: '个体经营', partTime: '非全日制' },
    },
    card: {
      type: 'object',
      title: '社保卡',
      required: ['mailingAddress'],
      properties: {
        bank: { type: 'string', title: '发卡银行', default: 'ccb' },
        mailingAddress: {
          type: 'object',
          title: '邮寄地址',
          required: ['recipient', 'phone'],
          properties: { recipient: { type: 'string', title: '收件人', minLength: 1, maxLength: 30 }, phone: PHONE },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

interface Form {
  employmentType: 'selfEmployed' | 'partTime';
  card: { bank: string; mailingAddress: { recipient: string; phone: string } };
}

const QUERY = {
  type: 'object',
  properties: { page: { type: 'string', title: '页码', pattern: '^[1-9]\\d{0,3}$', 'x-format-hint': '应为正整数' } },
  additionalProperties: false,
} as const;

let handled = 0;

function app() {
  const koa = createApp({ db: db.connection, logger: createLogger('error', () => {}) });
  const router = new Router<InputState<Form>>();
  router.post('/api/forms', validate<Form>(FORM), (ctx) => {
    handled++;
    ctx.body = { input: ctx.state.input };
  });
  router.get('/api/cases', validate<{ page?: string }>(QUERY, 'query'), (ctx) => {
    handled++;
    ctx.body = { input: ctx.state.input };
  });
  koa.use(router.routes());
  return koa.callback();
}

const good = { employmentType: 'partTime', card: { mailingAddress: { recipient: '张三', phone: '13912345678' } } };

beforeEach(() => {
  handled = 0;
});

describe('validate', () => {
  it('puts the checked body, with its defaults, on ctx.state.input', async () => {
    const res = await request(app()).post('/api/forms').send(good);
    expect(res.status).toBe(200);
    expect(res.body.input).toEqual({ ...good, card: { ...good.card, bank: 'ccb' } });
  });

  it('names each wrong nested field in Chinese and never reaches the handler', async () => {
    const res = await request(app())
      .post('/api/forms')
      .send({ employmentType: 'boss', card: { mailingAddress: { recipient: '', phone: '1391234' }, color: 'red' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: '填写的信息有误，请按提示修改',
        requestId: expect.any(String),
        fields: {
          employmentType: '就业形式只能选：个体经营、非全日制',
          'card.color': '不认识的字段“color”，请删除',
          'card.mailingAddress.recipient': '请填写收件人',
          'card.mailingAddress.phone': '手机号格式不正确，请填写 11 位手机号码',
        },
      },
    });
    expect(handled).toBe(0);
  });

  it('treats a missing body as an empty form and asks for each required field', async () => {
    const res = await request(app()).post('/api/forms');
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ employmentType: '请选择就业形式', card: '请填写社保卡' });
  });

  it('says which nested field is missing', async () => {
    const res = await request(app())
      .post('/api/forms')
      .send({ employmentType: 'partTime', card: { mailingAddress: { recipient: '张三' } } });
    expect(res.body.error.fields).toEqual({ 'card.mailingAddress.phone': '请填写手机号' });
  });

  it('checks the query string when asked to', async () => {
    expect((await request(app()).get('/api/cases?page=2')).body).toEqual({ input: { page: '2' } });
    const res = await request(app()).get('/api/cases?page=abc&sort=name');
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      page: '页码格式不正确，应为正整数',
      sort: '不认识的字段“sort”，请删除',
    });
    expect(handled).toBe(1);
  });

  it('refuses a broken schema when the route is wired', () => {
    expect(() => validate({ type: 'object', properties: { a: { type: 'strng' } } })).toThrow();
  });
});
