import { View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { ActionButton, ErrorNotice, TextField } from '../../components/controls';

export interface ReasonDialogProps {
  id: string;
  title: string;
  /** What happens, in a sentence, above the reason. */
  explanation?: string;
  reasonLabel?: string;
  confirmLabel: string;
  /** Extra fields above the reason (a settlement's outcome and reference). */
  extra?: ReactNode;
  /** Resolves when done; rejects with a message to show. */
  onConfirm: (reason: string) => Promise<void>;
  onCancel: () => void;
}

export const MIN_REASON = 4;

/** Asks for the reason an action needs (the audit trail records it), then does it. */
export function ReasonDialog({
  id,
  title,
  explanation,
  reasonLabel = '理由（至少 4 个字，会记入审计日志）',
  confirmLabel,
  extra,
  onConfirm,
  onCancel,
}: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function confirm() {
    if (reason.trim().length < MIN_REASON) {
      setError(`请写明理由，至少 ${MIN_REASON} 个字`);
      return;
    }
    setError(undefined);
    setFailure(undefined);
    setBusy(true);
    try {
      await onConfirm(reason.trim());
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="dialog__backdrop">
      <View className="dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid={id}>
        <View id={`${id}-title`} className="dialog__title" role="heading" aria-level={2}>
          {title}
        </View>
        {explanation && <View className="text">{explanation}</View>}
        {extra}
        <TextField
          id={`${id}-reason`}
          type="textarea"
          label={reasonLabel}
          value={reason}
          maxLength={200}
          onChange={setReason}
          error={error}
        />
        {failure && <ErrorNotice message={failure} />}
        <View className="dialog__actions">
          <ActionButton onTap={() => void confirm()} busy={busy} testId={`${id}-confirm`}>
            {confirmLabel}
          </ActionButton>
          <ActionButton kind="secondary" onTap={onCancel} testId={`${id}-cancel`}>
            取消
          </ActionButton>
        </View>
      </View>
    </View>
  );
}
