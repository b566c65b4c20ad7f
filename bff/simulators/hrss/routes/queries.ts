// Look-ups the eligibility checks make before anything is registered: the
// cross-province enrollment query (全国社保参保查询) and the Ningxia card
// query (首次申领核验).
import {
  HRSS_CARD_QUERY_REPLY,
  HRSS_CARD_QUERY_REQUEST,
  HRSS_ENROLLMENT_QUERY_REPLY,
  HRSS_ENROLLMENT_QUERY_REQUEST,
  type HrssCardQueryReply,
  type HrssCardQueryRequest,
  type HrssEnrollmentQueryReply,
  type HrssEnrollmentQueryRequest,
} from '@flexins/shared';
import type { SimRoute } from '../../common/types';
import { checkIdNumber } from '../checks';
import { hrssModels } from '../models';
import { enrollmentsOf, maskCardNumber, presentEnrollment } from '../people';

export const enrollmentQuery: SimRoute<HrssEnrollmentQueryRequest, HrssEnrollmentQueryReply> = {
  method: 'POST',
  path: '/hrss/v1/enrollment-queries',
  operationId: 'queryEnrollments',
  summary: '跨省参保信息查询（养老保险各险种及职工、机关事业单位医疗保险；含本系统登记的灵活就业养老保险）',
  write: false,
  request: HRSS_ENROLLMENT_QUERY_REQUEST,
  reply: HRSS_ENROLLMENT_QUERY_REPLY,
  errors: [],
  personOf: (input) => input.idNumber,
  async handle({ idNumber }, { deps }) {
    checkIdNumber(idNumber, deps.now());
    // Someone the platform has never seen simply has no enrollments.
    const facts = await enrollmentsOf(hrssModels(deps.db), idNumber);
    return { enrollments: facts.map(presentEnrollment) };
  },
};

export const cardQuery: SimRoute<HrssCardQueryRequest, HrssCardQueryReply> = {
  method: 'POST',
  path: '/hrss/v1/card-queries',
  operationId: 'queryCard',
  summary: '宁夏社会保障卡持卡查询（判断是否首次申领），并告知本系统已受理的申领',
  write: false,
  request: HRSS_CARD_QUERY_REQUEST,
  reply: HRSS_CARD_QUERY_REPLY,
  errors: [],
  personOf: (input) => input.idNumber,
  async handle({ idNumber }, { deps }) {
    checkIdNumber(idNumber, deps.now());
    const models = hrssModels(deps.db);
    const [person, application] = await Promise.all([
      models.Person.findOne({ idNumber }).lean(),
      models.CardApplication.findOne({ idNumber }).lean(),
    ]);
    const card = person?.ningxiaCard;
    return {
      holdsNingxiaCard: card !== undefined && card !== null,
      ...(card ? { cardNumberMasked: maskCardNumber(card.cardNumber) } : {}),
      ...(application ? { applicationNo: application.cardApplicationNo } : {}),
    };
  },
};
