// 社会保障卡（含电子社保卡）申领: first-time applicants only, delivered by
// post once the postage is paid; the electronic card is issued at once.
import { createHash, randomInt } from 'node:crypto';
import {
  HRSS_CARD_APPLICATION_QUERY_REPLY,
  HRSS_CARD_APPLICATION_QUERY_REQUEST,
  HRSS_CARD_APPLICATION_REPLY,
  HRSS_CARD_APPLICATION_REQUEST,
  HRSS_CARD_CARRIER,
  HRSS_PHOTO_MAX_BYTES,
  type HrssCardApplicationQueryReply,
  type HrssCardApplicationQueryRequest,
  type HrssCardApplicationReply,
  type HrssCardApplicationRequest,
  type HrssCardStatus,
} from '@flexins/shared';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../../common/types';
import { checkIdNumber, createOnce, fail, invalid } from '../checks';
import { hrssModels, type CardApplicationRecord } from '../models';
import { maskCardNumber } from '../people';
import { confirmPostagePaid } from '../postage';
import { advance, progressAt, stepMs } from '../progress';
import { insertRecord } from '../../common/records';

const CARD_STEPS: readonly HrssCardStatus[] = ['accepted', 'producing', 'posted', 'delivered'];

const SIGNATURES: Record<string, { bytes: number[]; name: string }> = {
  'image/jpeg': { bytes: [0xff, 0xd8, 0xff], name: 'JPEG' },
  'image/png': { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], name: 'PNG' },
};

/** The photo's bytes, checked for size and for being the picture type it claims. */
function readPhoto(photo: HrssCardApplicationRequest['photo']): Buffer {
  const bytes = Buffer.from(photo.base64, 'base64');
  if (bytes.length > HRSS_PHOTO_MAX_BYTES) {
    throw invalid({
      'photo.base64': `照片不能大于 ${HRSS_PHOTO_MAX_BYTES / 1024} KB，现在是 ${Math.ceil(bytes.length / 1024)} KB`,
    });
  }
  const signature = SIGNATURES[photo.contentType]!;
  if (!signature.bytes.every((b, i) => bytes[i] === b)) {
    throw invalid({ 'photo.base64': `照片内容不是 ${signature.name} 图片，请使用身份认证平台提供的证件照片` });
  }
  return bytes;
}

function alreadyApplied(existing: Pick<CardApplicationRecord, 'cardApplicationNo'>) {
  return fail('ALREADY_APPLIED', {
    message: `您已申领宁夏社会保障卡（申领编号 ${existing.cardApplicationNo}），无需重复申领`,
    details: { cardApplicationNo: existing.cardApplicationNo },
  });
}

function postageAlreadyUsed(orderId: string) {
  return fail('POSTAGE_ORDER_ALREADY_USED', {
    message: `邮寄费订单 ${orderId} 已用于另一份社保卡申领，请为本次申领重新支付邮寄费`,
  });
}

/** What the e-card's QR code carries: the card number and a check, nothing personal. */
function qrPayloadFor(eCardNo: string, cardApplicationNo: string): string {
  const check = createHash('sha256').update(`${eCardNo}:${cardApplicationNo}`).digest('hex').slice(0, 16);
  return `NXESSC:1:${eCardNo}:${check}`;
}

export const cardApplication: SimRoute<HrssCardApplicationRequest, HrssCardApplicationReply> = {
  method: 'POST',
  path: '/hrss/v1/card-applications',
  operationId: 'applyForCard',
  summary: '社会保障卡（含电子社保卡）首次申领，邮寄送达（须先支付邮寄费 5.8 元）',
  write: true,
  request: HRSS_CARD_APPLICATION_REQUEST,
  reply: HRSS_CARD_APPLICATION_REPLY,
  errors: [
    'ALREADY_APPLIED',
    'ALREADY_HOLDS_CARD',
    'PENSION_NOT_REGISTERED',
    'POSTAGE_ORDER_ALREADY_USED',
    'POSTAGE_NOT_PAID',
    'PAYMENT_CHECK_UNAVAILABLE',
  ],
  personOf: (input) => input.idNumber,
  async handle(input, { deps, requestId }) {
    const now = deps.now();
    const models = hrssModels(deps.db);

    // 1. what the schema cannot check
    checkIdNumber(input.idNumber, now);
    const photo = readPhoto(input.photo);

    // 2. a second application is recognised before any rule
    const existing = await models.CardApplication.findOne({ idNumber: input.idNumber }).lean();
    if (existing) throw alreadyApplied(existing);

    // 3. rule 4: first-time applicants only
    const person = await models.Person.findOne({ idNumber: input.idNumber }).lean();
    if (person?.ningxiaCard) {
      throw fail('ALREADY_HOLDS_CARD', {
        message: `您已持有宁夏社会保障卡（卡号 ${maskCardNumber(person.ningxiaCard.cardNumber)}），本服务只办理首次申领，无需再申领；补卡、换卡请到社保卡合作银行网点或拨打 12333`,
        details: { cardNumberMasked: maskCardNumber(person.ningxiaCard.cardNumber) },
      });
    }

    // 4. after the pension registration
    const pension = await models.PensionRegistration.findOne({ idNumber: input.idNumber }).lean();
    if (!pension) throw fail('PENSION_NOT_REGISTERED');

    // 5. the postage: one paid order per card
    if (await models.CardApplication.exists({ postageOrderId: input.postageOrderId })) {
      throw postageAlreadyUsed(input.postageOrderId);
    }
    const postageFen = await confirmPostagePaid(deps, input.postageOrderId, requestId);

    // 6. accept, and issue the electronic card at once
    const [cardApplicationNo, eCardNo] = await Promise.all([
      nextNumber(deps.db, 'SB', now),
      nextNumber(deps.db, 'DZ', now),
    ]);
    const electronicCard = { eCardNo, issuedAt: now, qrPayload: qrPayloadFor(eCardNo, cardApplicationNo) };
    await createOnce(
      () =>
        insertRecord(models.CardApplication, {
          cardApplicationNo,
          idNumber: input.idNumber,
          name: input.name,
          photo: {
            contentType: input.photo.contentType,
            bytes: photo.length,
            sha256: createHash('sha256').update(photo).digest('hex'),
          },
          issuingBank: input.issuingBank,
          mailingAddress: { ...input.mailingAddress },
          postageOrderId: input.postageOrderId,
          postageFen,
          electronicCard,
          status: 'accepted',
          history: [{ status: 'accepted', at: now }],
          acceptedAt: now,
        }),
      async () => {
        const twin = await models.CardApplication.findOne({ idNumber: input.idNumber }).lean();
        if (twin) return alreadyApplied(twin);
        const sameOrder = await models.CardApplication.exists({ postageOrderId: input.postageOrderId });
        return sameOrder ? postageAlreadyUsed(input.postageOrderId) : undefined;
      },
    );
    return {
      cardApplicationNo,
      status: 'accepted',
      electronicCard: { ...electronicCard, issuedAt: now.toISOString() },
      acceptedAt: now.toISOString(),
    };
  },
};

/** An EMS mail number: `EMS` and ten digits. */
function trackingNumber(): string {
  return `EMS${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
}

export const cardApplicationQuery: SimRoute<HrssCardApplicationQueryRequest, HrssCardApplicationQueryReply> = {
  method: 'POST',
  path: '/hrss/v1/card-application-queries',
  operationId: 'queryCardApplication',
  summary: '社保卡制卡和邮寄进度查询（含邮件号）',
  write: false,
  request: HRSS_CARD_APPLICATION_QUERY_REQUEST,
  reply: HRSS_CARD_APPLICATION_QUERY_REPLY,
  errors: ['CARD_APPLICATION_NOT_FOUND'],
  async handle({ cardApplicationNo }, { deps }) {
    const { CardApplication } = hrssModels(deps.db);
    const record = await CardApplication.findOne({ cardApplicationNo }).lean();
    if (!record) {
      throw fail('CARD_APPLICATION_NOT_FOUND', { message: `没有找到社保卡申领 ${cardApplicationNo}，请核对编号` });
    }
    const target = progressAt(CARD_STEPS, record.acceptedAt, stepMs(deps.config.options, 'CARD_STEP_MS'), deps.now());
    const current = await advance(CardApplication, record, target, (status, before) =>
      CARD_STEPS.indexOf(status) >= CARD_STEPS.indexOf('posted') && !before.trackingNo
        ? { trackingNo: trackingNumber(), carrier: HRSS_CARD_CARRIER }
        : {},
    );
    return {
      cardApplicationNo: current.cardApplicationNo,
      status: current.status,
      ...(current.trackingNo ? { trackingNo: current.trackingNo, carrier: current.carrier ?? HRSS_CARD_CARRIER } : {}),
      electronicCard: {
        eCardNo: current.electronicCard.eCardNo,
        issuedAt: new Date(current.electronicCard.issuedAt).toISOString(),
        qrPayload: current.electronicCard.qrPayload,
      },
      history: current.history.map((h) => ({ status: h.status, at: new Date(h.at).toISOString() })),
    };
  },
};
