// The registration system's one operation for this service: which businesses
// a person is registered for (经营主体登记信息查询), by ID number.
import {
  MARKET_PATHS,
  MARKET_REGISTRATION_QUERY_REPLY,
  MARKET_REGISTRATION_QUERY_REQUEST,
  chinaToday,
  parseIdNumber,
  type MarketRegistrationQueryReply,
  type MarketRegistrationQueryRequest,
} from '@flexins/shared';
import { commonError } from '../common/errors';
import type { SimRoute } from '../common/types';
import { businessesOf, toBusinessView } from './businesses';
import { marketModels } from './models';
import { insertRecord } from '../common/records';

export const registrationQuery: SimRoute<MarketRegistrationQueryRequest, MarketRegistrationQueryReply> = {
  method: 'POST',
  path: MARKET_PATHS.registrationQueries,
  operationId: 'queryBusinessRegistrations',
  summary: '经营主体登记信息查询（个体工商户经营者、企业法定代表人，含雇工人数）',
  write: false,
  request: MARKET_REGISTRATION_QUERY_REQUEST,
  reply: MARKET_REGISTRATION_QUERY_REPLY,
  errors: [],
  personOf: (input) => input.idNumber,
  async handle(input, { deps, callerId, requestId }) {
    // The schema checks the shape; the check digit and birth date need the calendar.
    const parsed = parseIdNumber(input.idNumber, chinaToday(deps.now()));
    if (!parsed.ok) throw commonError('VALIDATION_FAILED', { fields: { idNumber: parsed.message } });
    const models = marketModels(deps.db);
    const businesses = await businessesOf(models, input.idNumber);
    await insertRecord(models.Query, {
      idNumber: input.idNumber,
      callerId,
      requestId,
      found: businesses.length,
      queriedAt: deps.now(),
    });
    return { businesses: businesses.map(toBusinessView) };
  },
};
