// The controls every page uses, each with an accessible name. On H5 they are
// real <button>/<input> elements (Taro's H5 components are custom elements
// that screen readers and keyboards treat as plain text); in the
// mini-program they are Taro's components with aria-label.
import { Button, Input, Picker, Textarea, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './ui.css';

// `process.env.TARO_ENV === 'h5'` is written out at each use: the build drops the other
// platform's branch, and with it Taro's Button, Input, Picker and Textarea from the H5 pages.

export interface ActionButtonProps {
  children: ReactNode;
  onTap: () => void;
  /** The accessible name when the visible text is not enough. */
  label?: string;
  kind?: 'primary' | 'secondary';
  small?: boolean;
  disabled?: boolean;
  busy?: boolean;
  testId?: string;
}

export function ActionButton({
  children,
  onTap,
  label,
  kind = 'primary',
  small,
  disabled,
  busy,
  testId,
}: ActionButtonProps) {
  const className = `btn${kind === 'secondary' ? ' btn--secondary' : ''}${small ? ' btn--small' : ''}`;
  if (process.env.TARO_ENV === 'h5') {
    return (
      <button
        type="button"
        className={className}
        aria-label={label}
        aria-busy={busy || undefined}
        disabled={disabled || busy}
        data-testid={testId}
        onClick={onTap}
      >
        {children}
      </button>
    );
  }
  return (
    <Button className={className} aria-label={label} disabled={disabled || busy} loading={busy} onClick={onTap}>
      {children}
    </Button>
  );
}

export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  hint?: string;
  type?: 'text' | 'tel' | 'date' | 'textarea';
  maxLength?: number;
}

export function TextField({
  id,
  label,
  value,
  onChange,
  onBlur,
  error,
  hint,
  type = 'text',
  maxLength,
}: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  let control: ReactNode;
  if (process.env.TARO_ENV === 'h5') {
    const common = {
      id,
      className: `field__input${type === 'textarea' ? ' field__input--textarea' : ''}`,
      value,
      maxLength,
      'aria-invalid': Boolean(error) || undefined,
      'aria-describedby': describedBy,
      onBlur,
    };
    control =
      type === 'textarea' ? (
        <textarea {...common} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={type === 'tel' ? 'tel' : type === 'date' ? 'date' : 'text'}
          inputMode={type === 'tel' ? 'numeric' : undefined}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
        />
      );
  } else if (type === 'date') {
    control = (
      <Picker mode="date" value={value} onChange={(e) => onChange(String(e.detail.value))}>
        <View className="field__input" aria-label={`${label}：${value || '请选择'}`}>
          {value || '请选择'}
        </View>
      </Picker>
    );
  } else if (type === 'textarea') {
    control = (
      <Textarea
        className="field__input field__input--textarea"
        aria-label={label}
        value={value}
        maxlength={maxLength}
        onInput={(e) => onChange(e.detail.value)}
        onBlur={onBlur}
      />
    );
  } else {
    control = (
      <Input
        className="field__input"
        aria-label={label}
        type={type === 'tel' ? 'number' : 'text'}
        value={value}
        maxlength={maxLength}
        onInput={(e) => onChange(e.detail.value)}
        onBlur={onBlur}
      />
    );
  }
  return (
    <View className={`field${error ? ' field--invalid' : ''}`}>
      {process.env.TARO_ENV === 'h5' ? (
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
      ) : (
        <View className="field__label">{label}</View>
      )}
      {hint && (
        <View id={hintId} className="field__hint">
          {hint}
        </View>
      )}
      {control}
      {error && <FieldError id={errorId!} message={error} />}
    </View>
  );
}

/** A field's message, beside it: words and a sign, not colour alone. */
export function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <View id={id} className="field__error" role="alert">
      ⚠ {message}
    </View>
  );
}

export interface Choice<T extends string | number> {
  value: T;
  label: string;
  note?: string;
}

export interface ChoiceGroupProps<T extends string | number> {
  id: string;
  label: string;
  options: readonly Choice<T>[];
  value: T | undefined;
  onChange: (value: T) => void;
  error?: string;
  hint?: string;
}

function ChoiceOption<T extends string | number>({
  option,
  on,
  onPick,
  role,
}: {
  option: Choice<T>;
  on: boolean;
  onPick: () => void;
  role: 'radio' | 'checkbox';
}) {
  const className = `choice${on ? ' choice--on' : ''}`;
  const inner = (
    <>
      <View className="choice__mark" aria-hidden="true">
        {role === 'radio' ? (on ? '◉' : '○') : on ? '☑' : '☐'}
      </View>
      <View className="choice__text">
        {option.label}
        {on && role === 'radio' ? '（已选）' : ''}
        {option.note && <View className="choice__note">{option.note}</View>}
      </View>
    </>
  );
  if (process.env.TARO_ENV === 'h5') {
    return (
      <button type="button" role={role} aria-checked={on} className={className} onClick={onPick}>
        {inner}
      </button>
    );
  }
  return (
    <Button className={className} aria-label={`${option.label}${on ? '，已选' : '，未选'}`} onClick={onPick}>
      {inner}
    </Button>
  );
}

/** One answer out of a few, as big tappable rows (a radio group). */
export function ChoiceGroup<T extends string | number>({
  id,
  label,
  options,
  value,
  onChange,
  error,
  hint,
}: ChoiceGroupProps<T>) {
  const errorId = error ? `${id}-error` : undefined;
  return (
    <View className={`field${error ? ' field--invalid' : ''}`}>
      <View id={`${id}-label`} className="field__label">
        {label}
      </View>
      {hint && <View className="field__hint">{hint}</View>}
      <View className="choices" role="radiogroup" aria-labelledby={`${id}-label`} aria-describedby={errorId}>
        {options.map((option) => (
          <ChoiceOption
            key={String(option.value)}
            option={option}
            on={option.value === value}
            role="radio"
            onPick={() => onChange(option.value)}
          />
        ))}
      </View>
      {error && <FieldError id={errorId!} message={error} />}
    </View>
  );
}

/** A tick box with its sentence. */
export function CheckBox({
  label,
  checked,
  onChange,
  error,
  id,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
}) {
  return (
    <View className={`field${error ? ' field--invalid' : ''}`}>
      <ChoiceOption option={{ value: 'on', label }} on={checked} role="checkbox" onPick={() => onChange(!checked)} />
      {error && <FieldError id={`${id}-error`} message={error} />}
    </View>
  );
}

/** Something went wrong: the plain message and, when trying again may help, a 重试 button. */
export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="notice" role="alert">
      <View className="notice__text">⚠ {message}</View>
      {onRetry && (
        <ActionButton kind="secondary" onTap={onRetry} testId="retry">
          重试
        </ActionButton>
      )}
    </View>
  );
}

export function Loading({ text = '正在加载，请稍候…' }: { text?: string }) {
  return (
    <View className="status-line" role="status">
      {text}
    </View>
  );
}

export function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <View className="section-title" role="heading" aria-level={2}>
      {children}
    </View>
  );
}

/** Label–value rows (numbers, answers). */
export function Pairs({ rows }: { rows: readonly { label: string; value: ReactNode }[] }) {
  return (
    <View className="pairs" role="list">
      {rows.map((row) => (
        <View key={row.label} className="pairs__row" role="listitem">
          <View className="pairs__label">{row.label}</View>
          <View className="pairs__value">{row.value}</View>
        </View>
      ))}
    </View>
  );
}
