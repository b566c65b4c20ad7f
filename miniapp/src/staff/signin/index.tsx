import { Input, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, ErrorNotice, TextField } from '../../components/controls';
import { staffApi } from '../services/api';
import { signInFailure } from '../services/checks';
import { STAFF_ROUTES } from '../services/nav';
import { currentSession, keepSession, takeSignedOutReason } from '../services/session';
import '../staff.css';

const USERNAME = /^[a-z0-9._-]{3,32}$/;

/** Username and password from the identity platform's staff accounts. */
export default function StaffSignInPage() {
  const [notice] = useState(() => takeSignedOutReason());
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<{ username?: string; password?: string }>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const signedIn = currentSession();

  async function signIn() {
    const name = username.trim().toLowerCase();
    const problems = {
      ...(USERNAME.test(name) ? {} : { username: '请填写用户名（小写字母、数字或 . _ -）' }),
      ...(password ? {} : { password: '请填写密码' }),
    };
    setFields(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const reply = await staffApi.signIn(name, password);
      keepSession({ token: reply.token, expiresAt: reply.expiresAt, staff: reply.staff });
      void Taro.redirectTo({ url: STAFF_ROUTES.home });
    } catch (err) {
      setError(signInFailure(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="staff">
      <View className="staff__header" role="banner">
        <View className="staff__brand">灵活就业参保“一件事” · 工作人员</View>
      </View>
      <View className="staff__main staff__main--narrow" role="main">
        <View className="staff__title" role="heading" aria-level={1}>
          工作人员登录
        </View>
        <View className="text text--muted">
          窗口工作人员、12345/12333 客服和主管使用统一身份认证平台的工作人员账号登录。
        </View>
        {notice && (
          <View className="notice notice--info" role="status" data-testid="signed-out-notice">
            <View className="notice__text">{notice}</View>
          </View>
        )}
        {signedIn && (
          <View className="notice notice--info" role="status">
            <View className="notice__text">
              {signedIn.staff.name} 已登录。
              <ActionButton small kind="secondary" onTap={() => void Taro.redirectTo({ url: STAFF_ROUTES.home })}>
                进入工作台
              </ActionButton>
            </View>
          </View>
        )}
        <View className="panel">
          <TextField
            id="username"
            label="用户名"
            value={username}
            onChange={setUsername}
            error={fields.username}
            maxLength={32}
          />
          <PasswordField
            value={password}
            onChange={setPassword}
            error={fields.password}
            onEnter={() => void signIn()}
          />
          {error && <ErrorNotice message={error} />}
          <ActionButton onTap={() => void signIn()} busy={busy} testId="sign-in">
            登录
          </ActionButton>
        </View>
        <View className="text text--muted">连续输错 5 次密码，账号锁定 15 分钟。15 分钟没有操作会自动退出。</View>
      </View>
    </View>
  );
}

/** A password box: on H5 a real password input with its label; Taro's Input with `password` elsewhere. */
function PasswordField({
  value,
  onChange,
  error,
  onEnter,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string;
  onEnter: () => void;
}) {
  if (process.env.TARO_ENV === 'h5') {
    return (
      <View className={`field${error ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor="password">
          密码
        </label>
        <input
          id="password"
          className="field__input"
          type="password"
          autoComplete="current-password"
          value={value}
          maxLength={128}
          aria-invalid={Boolean(error) || undefined}
          aria-describedby={error ? 'password-error' : undefined}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onEnter();
          }}
        />
        {error && (
          <View id="password-error" className="field__error" role="alert">
            ⚠ {error}
          </View>
        )}
      </View>
    );
  }
  return (
    <View className={`field${error ? ' field--invalid' : ''}`}>
      <View className="field__label">密码</View>
      <Input
        className="field__input"
        aria-label="密码"
        password
        value={value}
        maxlength={128}
        onInput={(e) => onChange(e.detail.value)}
        onConfirm={onEnter}
      />
      {error && (
        <View className="field__error" role="alert">
          ⚠ {error}
        </View>
      )}
    </View>
  );
}
