// 流动人员人事档案接收和转递: the receiving talent exchange centre issues a
// transfer letter (调档函) and the archive travels to it; someone with no
// archive gets a new one opened instead.
import {
  HRSS_ARCHIVE_TRANSFER_QUERY_REPLY,
  HRSS_ARCHIVE_TRANSFER_QUERY_REQUEST,
  HRSS_ARCHIVE_TRANSFER_REPLY,
  HRSS_ARCHIVE_TRANSFER_REQUEST,
  type HrssArchiveStatus,
  type HrssArchiveTransferQueryReply,
  type HrssArchiveTransferQueryRequest,
  type HrssArchiveTransferReply,
  type HrssArchiveTransferRequest,
} from '@flexins/shared';
import { ARCHIVE_HELD_LOCATIONS, ARCHIVE_LOCATION_LABELS, cityOf, countyName } from '@flexins/shared';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../../common/types';
import { checkIdNumber, createOnce, fail } from '../checks';
import { hrssModels, type ArchiveTransferRecord } from '../models';
import { advance, progressAt, stepMs } from '../progress';
import { requireEmploymentRegistration } from './employment';
import { insertRecord } from '../../common/records';

const TRANSFER_STEPS: readonly HrssArchiveStatus[] = ['accepted', 'letterIssued', 'inTransit', 'received'];
/** Nothing to move: the centre opens the archive and files it. */
const NEW_ARCHIVE_STEPS: readonly HrssArchiveStatus[] = ['accepted', 'received'];

/** `无档案`, `没有档案`, `无（尚未建立人事档案）`, `暂无` … */
export function saysNoArchive(location: string): boolean {
  const text = location.replace(/\s/g, '');
  return /^(无|没有|暂无)/.test(text) || /(无档案|没有档案|未建档|未建立.*档案)/.test(text);
}

/**
 * The centre that keeps flexible workers' archives: a city district's go to
 * the city's centre, a county's or county-level city's to its own.
 */
export function receivingCentreFor(regionCode: string): string {
  const county = countyName(regionCode);
  const city = cityOf(regionCode);
  if (!county || !city) throw new Error(`not a current Ningxia county: ${regionCode}`);
  return county.endsWith('区') ? `${city.name}人才交流服务中心` : `${county}人才交流服务中心`;
}

/** The form's words for a kind of place (原工作单位, 毕业学校, 其他 …): they do not say which unit holds the archive. */
const KINDS_OF_PLACE = new Set<string>(ARCHIVE_HELD_LOCATIONS.map((l) => ARCHIVE_LOCATION_LABELS[l]));

/** A location that names only a kind of place needs the holding unit (档案保管单位) beside it. */
export function needsHoldingUnit(location: string): boolean {
  return KINDS_OF_PLACE.has(location.replace(/\s/g, ''));
}

function alreadyRegistered(existing: Pick<ArchiveTransferRecord, 'transferLetterNo' | 'receivingCentre'>) {
  return fail('ALREADY_REGISTERED', {
    message: `您的人事档案已由${existing.receivingCentre}受理接收（调档函编号 ${existing.transferLetterNo}），无需重复申请`,
    details: { transferLetterNo: existing.transferLetterNo },
  });
}

export const archiveTransfer: SimRoute<HrssArchiveTransferRequest, HrssArchiveTransferReply> = {
  method: 'POST',
  path: '/hrss/v1/archive-transfers',
  operationId: 'requestArchiveTransfer',
  summary: '流动人员人事档案接收和转递（开具调档函，无档案的新建档案）',
  write: true,
  request: HRSS_ARCHIVE_TRANSFER_REQUEST,
  reply: HRSS_ARCHIVE_TRANSFER_REPLY,
  errors: ['ALREADY_REGISTERED', 'EMPLOYMENT_NOT_REGISTERED', 'HOLDING_UNIT_REQUIRED'],
  personOf: (input) => input.idNumber,
  async handle(input, { deps }) {
    const now = deps.now();
    const models = hrssModels(deps.db);
    checkIdNumber(input.idNumber, now);

    // 1. one transfer per person
    const existing = await models.ArchiveTransfer.findOne({ idNumber: input.idNumber }).lean();
    if (existing) throw alreadyRegistered(existing);

    // 2. after the employment registration, and only the applicant's own
    await requireEmploymentRegistration(deps.db, input.idNumber, input.employmentRegistrationNo);

    // 3. the transfer letter goes to the unit holding the archive: it must be named
    const holdingUnit = input.holdingUnit?.trim();
    const opensNewArchive = saysNoArchive(input.currentLocation);
    if (!opensNewArchive && !holdingUnit && needsHoldingUnit(input.currentLocation)) {
      throw fail('HOLDING_UNIT_REQUIRED', { fields: { holdingUnit: '请填写档案保管单位' } });
    }

    // 4. accept
    const receivingCentre = receivingCentreFor(input.receivingRegionCode);
    const note = opensNewArchive
      ? `您目前没有人事档案，${receivingCentre}将为您新建流动人员人事档案，无需调档`
      : undefined;
    const transferLetterNo = await nextNumber(deps.db, 'DA', now);
    await createOnce(
      () =>
        insertRecord(models.ArchiveTransfer, {
          transferLetterNo,
          idNumber: input.idNumber,
          name: input.name,
          employmentRegistrationNo: input.employmentRegistrationNo,
          currentLocation: input.currentLocation,
          ...(holdingUnit && !opensNewArchive ? { holdingUnit } : {}),
          receivingRegionCode: input.receivingRegionCode,
          receivingCentre,
          opensNewArchive,
          ...(note ? { note } : {}),
          status: 'accepted',
          history: [{ status: 'accepted', at: now }],
          acceptedAt: now,
        }),
      async () => {
        const twin = await models.ArchiveTransfer.findOne({ idNumber: input.idNumber }).lean();
        return twin ? alreadyRegistered(twin) : undefined;
      },
    );
    return {
      transferLetterNo,
      receivingCentre,
      status: 'accepted',
      acceptedAt: now.toISOString(),
      ...(note ? { note } : {}),
    };
  },
};

export const archiveTransferQuery: SimRoute<HrssArchiveTransferQueryRequest, HrssArchiveTransferQueryReply> = {
  method: 'POST',
  path: '/hrss/v1/archive-transfer-queries',
  operationId: 'queryArchiveTransfer',
  summary: '档案转递进度查询',
  write: false,
  request: HRSS_ARCHIVE_TRANSFER_QUERY_REQUEST,
  reply: HRSS_ARCHIVE_TRANSFER_QUERY_REPLY,
  errors: ['TRANSFER_NOT_FOUND'],
  async handle({ transferLetterNo }, { deps }) {
    const { ArchiveTransfer } = hrssModels(deps.db);
    const record = await ArchiveTransfer.findOne({ transferLetterNo }).lean();
    if (!record) throw fail('TRANSFER_NOT_FOUND', { message: `没有找到调档函 ${transferLetterNo}，请核对编号` });
    const steps = record.opensNewArchive ? NEW_ARCHIVE_STEPS : TRANSFER_STEPS;
    const target = progressAt(steps, record.acceptedAt, stepMs(deps.config.options, 'ARCHIVE_STEP_MS'), deps.now());
    const current = await advance(ArchiveTransfer, record, target);
    return {
      transferLetterNo: current.transferLetterNo,
      status: current.status,
      history: current.history.map((h) => ({ status: h.status, at: new Date(h.at).toISOString() })),
    };
  },
};
