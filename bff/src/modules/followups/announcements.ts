// What the citizen is told after the BFF's part of the card and the archive
// is done (结果集中反馈): one timeline entry per step HRSS reaches, in plain
// Chinese. Acceptance and the transfer letter are not repeated: the engine's
// own entry said so when it delivered the matter.
import {
  HRSS_CARD_CARRIER,
  TRACKING_STEPS,
  type HrssArchiveStatus,
  type HrssCardStatus,
  type MatterId,
  type TrackedMatter,
} from '@flexins/shared';

export const FOLLOWED_ITEMS: readonly TrackedMatter[] = ['card', 'archive'];

/** The steps told of, in order; the last one ends the item. */
export const ANNOUNCED_STEPS: { card: readonly HrssCardStatus[]; archive: readonly HrssArchiveStatus[] } = {
  card: ['producing', 'posted', 'delivered'],
  archive: ['inTransit', 'received'],
};

export const FINAL_STEP: { card: HrssCardStatus; archive: HrssArchiveStatus } = {
  card: 'delivered',
  archive: 'received',
};

/** The case's matter each item belongs to, and the HRSS number it is asked about by. */
export const ITEM_MATTERS: Record<TrackedMatter, { matter: MatterId; ref: string }> = {
  card: { matter: 'socialSecurityCard', ref: 'cardApplicationNo' },
  archive: { matter: 'archiveTransfer', ref: 'transferLetterNo' },
};

/** What HRSS said about an item: where it stands and the steps reached so far. */
export interface ItemProgress {
  status: string;
  history: readonly { status: string }[];
  trackingNo?: string;
  carrier?: string;
}

/** Facts of the case a text needs. */
export interface AnnouncementFacts {
  /** The archive's receiving talent exchange centre, as HRSS named it on acceptance. */
  receivingCentre?: string;
}

/**
 * The steps to tell of now: those HRSS has reached (its history, so a step
 * passed between two checks is told too, and one a process skips — a new
 * archive is never in transit — is not), after the last one told, in order.
 */
export function stepsToAnnounce(item: TrackedMatter, progress: ItemProgress, last: string | undefined): string[] {
  const order: readonly string[] = TRACKING_STEPS[item];
  const reached = new Set([progress.status, ...progress.history.map((h) => h.status)]);
  const after = last ? order.indexOf(last) : -1;
  return ANNOUNCED_STEPS[item].filter((step) => reached.has(step) && order.indexOf(step) > after);
}

/**
 * The timeline entry of one step, or undefined when HRSS has not given what
 * it needs yet (a posted card without its mail number). The same step of the
 * same case always reads the same: that is how a repeat is recognised.
 */
export function announcementText(
  item: TrackedMatter,
  status: string,
  progress: ItemProgress,
  facts: AnnouncementFacts,
): string | undefined {
  if (item === 'card') {
    switch (status as HrssCardStatus) {
      case 'producing':
        return `社保卡正在制作，做好后通过${HRSS_CARD_CARRIER} 寄到您填写的地址`;
      case 'posted':
        if (!progress.trackingNo) return undefined;
        return `社保卡已寄出（${progress.carrier ?? HRSS_CARD_CARRIER}，邮件号 ${progress.trackingNo}），请留意查收`;
      case 'delivered':
        return '社保卡已签收。如果不是您或家人签收的，请拨打 12333';
      default:
        return undefined;
    }
  }
  switch (status as HrssArchiveStatus) {
    case 'inTransit':
      return '人事档案已转递，正在途中';
    case 'received':
      return `人事档案已由${facts.receivingCentre ?? '接收地'}接收`;
    default:
      return undefined;
  }
}
