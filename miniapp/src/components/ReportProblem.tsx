// 我要反映问题: a category, a few sentences, sent to the problem list (问题清单),
// where it gets an owner and an answer within PROBLEM_WORKING_DAYS. On the help page.
import { View } from '@tarojs/components';
import {
  PROBLEM_CATEGORIES,
  PROBLEM_PROMISE,
  PROBLEM_TEXT_LENGTH,
  REPORTABLE_CATEGORIES,
  type ReportableCategory,
} from '@flexins/shared';
import { useState } from 'react';
import { api } from '../services/api';
import { ApiError, messageOf } from '../services/http';
import { go, ROUTES } from '../services/nav';
import { currentToken } from '../services/session';
import { ActionButton, ChoiceGroup, ErrorNotice, TextField } from './controls';

const OPTIONS = REPORTABLE_CATEGORIES.map((c) => ({ value: c, label: PROBLEM_CATEGORIES[c] }));

export function ReportProblem() {
  const [category, setCategory] = useState<ReportableCategory>();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ category?: string; text?: string }>({});
  const [failure, setFailure] = useState<{ message: string; retry: boolean }>();
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<{ problemId: string; deadline: string }>();

  if (!currentToken()) {
    return (
      <View className="card">
        <View className="text">登录后可以在这里反映问题，我们会在{PROBLEM_PROMISE}答复；也可以直接拨打 12345。</View>
        <ActionButton kind="secondary" onTap={() => go(ROUTES.entry)} testId="report-sign-in">
          登录
        </ActionButton>
      </View>
    );
  }

  if (receipt) {
    return (
      <View className="card card--good" role="status" data-testid="report-receipt">
        <View className="card__title">✓ 已收到您反映的问题</View>
        <View className="text">
          编号 {receipt.problemId}。工作人员会在 {receipt.deadline} 前处理并答复您。
        </View>
      </View>
    );
  }

  async function send() {
    const trimmed = text.trim();
    const found: typeof errors = {};
    if (!category) found.category = '请选择问题类别';
    if (trimmed.length < PROBLEM_TEXT_LENGTH.min)
      found.text = `请把问题写清楚一些，至少 ${PROBLEM_TEXT_LENGTH.min} 个字`;
    setErrors(found);
    if (found.category || found.text) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const sent = await api.reportProblem(category!, trimmed);
      setReceipt({ problemId: sent.problemId, deadline: sent.deadline });
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'signedOut') return go(ROUTES.entry);
      if (err instanceof ApiError && err.fields) {
        setErrors({ category: err.fields.category, text: err.fields.text });
        return;
      }
      setFailure({ message: messageOf(err), retry: !(err instanceof ApiError) || err.retryable });
    } finally {
      setBusy(false);
    }
  }

  return (
    <View>
      <ChoiceGroup
        id="problem-category"
        label="问题类别"
        options={OPTIONS}
        value={category}
        onChange={(v) => {
          setCategory(v);
          setErrors((e) => ({ ...e, category: undefined }));
        }}
        error={errors.category}
      />
      <TextField
        id="problem-text"
        type="textarea"
        label="遇到了什么问题"
        hint="请不要写身份证号、银行卡号等信息"
        value={text}
        maxLength={PROBLEM_TEXT_LENGTH.max}
        onChange={setText}
        error={errors.text}
      />
      {failure && <ErrorNotice message={failure.message} onRetry={failure.retry ? () => void send() : undefined} />}
      <ActionButton onTap={() => void send()} busy={busy} testId="send-report">
        提交
      </ActionButton>
    </View>
  );
}
