import { View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { ActionButton, ChoiceGroup, ErrorNotice, TextField } from '../../components/controls';

export interface ReasonDialogProps {
  id: string;
  title: string;
  /** What happens, in a sentence, above the reason. */
  explanation?: string;
  reasonLabel?: string;
  confirmLabel: string;
  /** Extra fields above the reason (a settlement's outcome and reference). */
  extra?: ReactNode;
  /**
   * The reason is one of these (a reveal's 查看理由), with an optional note; the choice
   * `noteRequiredFor` needs a note of at least 4 characters. Without choices: a written reason.
   */
  choices?: readonly { value: string; label: string }[];
  noteRequiredFor?: string;
  /** Resolves when done; rejects with a message to show. With choices, `reason` is the choice. */
  onConfirm: (reason: string, note?: string) => Promise<void>;
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
  choices,
  noteRequiredFor,
  onConfirm,
  onCancel,
}: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const [choice, setChoice] = useState<string>();
  const [choiceError, setChoiceError] = useState<string>();
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  /** What is missing, said beside the field; undefined when nothing is. */
  function missing(): boolean {
    if (choices) {
      setChoiceError(choice ? undefined : '请选择查看理由');
      const noteNeeded = choice !== undefined && choice === noteRequiredFor && reason.trim().length < MIN_REASON;
      setError(noteNeeded ? `选择“其他”时请写明理由，至少 ${MIN_REASON} 个字` : undefined);
      return !choice || noteNeeded;
    }
    const short = reason.trim().length < MIN_REASON;
    setError(short ? `请写明理由，至少 ${MIN_REASON} 个字` : undefined);
    return short;
  }

  async function confirm() {
    if (missing()) return;
    setFailure(undefined);
    setBusy(true);
    try {
      if (choices) await onConfirm(choice!, reason.trim() || undefined);
      else await onConfirm(reason.trim());
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
        {choices && (
          <ChoiceGroup
            id={`${id}-choice`}
            label="查看理由"
            options={choices}
            value={choice}
            onChange={(v) => {
              setChoice(v);
              setChoiceError(undefined);
            }}
            error={choiceError}
          />
        )}
        <TextField
          id={`${id}-reason`}
          type="textarea"
          label={choices ? '说明（选“其他”时必填；手机号、身份证号会被隐去）' : reasonLabel}
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
