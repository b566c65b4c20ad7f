// 办理进度追踪 on a page: what HRSS says happened to the card (made, posted
// with its EMS number, signed for) and to the personnel archive after the
// matter was done. Asked once when the matter is (or becomes) done — not on
// every poll of the case — and again only when the reader taps 再查一次.
import { View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import {
  TRACKING_MESSAGES,
  TRACKING_STATUS_NAMES,
  TRACKING_STEPS,
  TRACKING_TITLES,
  type CaseTracking,
  type MatterId,
  type TrackedMatter,
  type TrackingAvailable,
} from '@flexins/shared';
import { chinaDateTime } from '../services/format';
import { ApiError } from '../services/http';
import { ActionButton, Pairs } from './controls';
import './TrackingPanel.css';

export type TrackingState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; tracking: CaseTracking };

/** The matters HRSS tracks after they are done, by the number it is asked about. */
const TRACKED: Partial<Record<MatterId, { matter: TrackedMatter; ref: string }>> = {
  socialSecurityCard: { matter: 'card', ref: 'cardApplicationNo' },
  archiveTransfer: { matter: 'archive', ref: 'transferLetterNo' },
};

interface MatterLike {
  id: MatterId;
  state: string;
  refs: Record<string, string>;
}

/** Which tracking a matter shows: a delivered card or archive matter with its HRSS number. */
export function trackedMatterOf(matter: MatterLike): TrackedMatter | undefined {
  const tracked = TRACKED[matter.id];
  return tracked && matter.state === 'delivered' && matter.refs[tracked.ref] ? tracked.matter : undefined;
}

/** What the tracking depends on: the case and which matters are tracked; empty when none is. */
export function trackingKey(caseNo: string, matters: readonly MatterLike[]): string {
  const tracked = matters.map(trackedMatterOf).filter(Boolean);
  return tracked.length > 0 ? `${caseNo}:${tracked.join(',')}` : '';
}

/** A failure of the request itself, in words: the network or our side is "try later", anything else as said. */
export function trackingFailureMessage(err: unknown, otherwise: (err: unknown) => string): string {
  if (err instanceof ApiError && err.retryable) return TRACKING_MESSAGES.unavailable;
  return otherwise(err);
}

/**
 * The case's tracking, asked for whenever `key` changes to a non-empty value
 * (say, when the card matter turns delivered) and on `reload`; an empty key
 * asks nothing. The answer to an older key is dropped.
 */
export function useCaseTracking(
  key: string,
  load: () => Promise<CaseTracking>,
  describeFailure: (err: unknown) => string,
): { state: TrackingState; reload: () => void } {
  const [state, setState] = useState<TrackingState>({ kind: 'idle' });
  const asked = useRef(0);
  const latest = useRef({ load, describeFailure });
  latest.current = { load, describeFailure };

  function ask() {
    const ticket = ++asked.current;
    setState({ kind: 'loading' });
    latest.current
      .load()
      .then((tracking) => {
        if (ticket === asked.current) setState({ kind: 'ready', tracking });
      })
      .catch((err: unknown) => {
        if (ticket === asked.current) setState({ kind: 'failed', message: latest.current.describeFailure(err) });
      });
  }

  useEffect(() => {
    if (key) ask();
    else {
      asked.current += 1;
      setState({ kind: 'idle' });
    }
  }, [key]);

  return { state, reload: ask };
}

const SHORT_NAMES: Readonly<Record<TrackedMatter, string>> = { card: '社保卡', archive: '档案' };

function Steps({ matter, item }: { matter: TrackedMatter; item: TrackingAvailable }) {
  const names = TRACKING_STATUS_NAMES[matter] as Readonly<Record<string, string>>;
  const reached = new Map(item.history.map((h) => [h.status, h]));
  return (
    <View className="tracking__steps" role="list" aria-label={`${TRACKING_TITLES[matter]}的办理过程`}>
      {(TRACKING_STEPS[matter] as readonly string[]).map((status) => {
        const step = reached.get(status);
        const name = step?.statusText ?? names[status] ?? status;
        const when = step ? chinaDateTime(step.at) : undefined;
        return (
          <View
            key={status}
            className={`tracking__step${step ? ' tracking__step--done' : ''}`}
            role="listitem"
            data-step={status}
            aria-label={step ? `${name}，已完成，${when}` : `${name}，还没到`}
          >
            <View className="tracking__sign" aria-hidden="true">
              {step ? '✓' : '○'}
            </View>
            <View className="tracking__name">{name}</View>
            <View className="tracking__when">{when ?? '还没到'}</View>
          </View>
        );
      })}
    </View>
  );
}

/** One matter's tracking inside its card: status, mail number and carrier when posted, every step with its date. */
export function TrackingPanel({
  matter,
  state,
  onRetry,
}: {
  matter: TrackedMatter;
  state: TrackingState;
  onRetry: () => void;
}) {
  if (state.kind === 'idle') return null;
  const item = state.kind === 'ready' ? state.tracking[matter] : undefined;
  // Ready, but HRSS has no number of this matter to be asked about: nothing to show.
  if (state.kind === 'ready' && !item) return null;

  const title = TRACKING_TITLES[matter];
  let body;
  if (state.kind === 'loading') {
    body = (
      <View className="status-line" role="status">
        正在向人社部门查询最新进度…
      </View>
    );
  } else if (state.kind === 'failed' || (item && !item.available)) {
    // The request failed, or HRSS did not answer for this item: the plain message and a way to ask again.
    const message = state.kind === 'failed' ? state.message : (item as { message: string }).message;
    body = (
      <View className="tracking__problem" role="alert">
        <View className="notice__text">⚠ {message}</View>
        <ActionButton
          kind="secondary"
          onTap={onRetry}
          label={`再查一次${SHORT_NAMES[matter]}进度`}
          testId={`tracking-retry-${matter}`}
        >
          再查一次
        </ActionButton>
      </View>
    );
  } else if (item?.available) {
    body = (
      <View>
        <Pairs
          rows={[
            { label: '当前状态', value: item.statusText },
            ...(matter === 'card'
              ? [
                  { label: '邮件号', value: item.trackingNo ?? '寄出后显示' },
                  ...(item.carrier ? [{ label: '承运方', value: item.carrier }] : []),
                ]
              : []),
          ]}
        />
        <Steps matter={matter} item={item} />
        {state.kind === 'ready' && (
          <View className="status-line">查询时间：{chinaDateTime(state.tracking.checkedAt)}</View>
        )}
      </View>
    );
  }

  return (
    <View className="tracking" data-testid={`tracking-${matter}`} data-kind={state.kind}>
      <View className="tracking__title" role="heading" aria-level={3}>
        {title}
      </View>
      {body}
    </View>
  );
}
