import { View } from '@tarojs/components';
import { useEffect, useState, type ReactNode } from 'react';
import type { StaffProfile, StaffRole } from '@flexins/shared';
import { ActionButton } from '../../components/controls';
import { whenSignedOut } from '../services/http';
import { STAFF_MENU, STAFF_ROUTES, switchStaffPage, toSignIn, type StaffRoute } from '../services/nav';
import { currentSession, endSession, sessionLapsed } from '../services/session';
import { STAFF_TEXT } from '../text';
import '../staff.css';

/** How often the idle limit is checked; the BFF refuses a lapsed token anyway. */
const IDLE_CHECK_MS = 2_000;

export interface StaffPageProps {
  title: string;
  /** Who may open this page; others go back to the home page. */
  roles: readonly StaffRole[];
  current: StaffRoute;
  children: (staff: StaffProfile) => ReactNode;
}

/**
 * Every staff page: signed-in check, role check, idle time-out, the header
 * with who is signed in, the menu for their role, and the page's title.
 */
export function StaffPage({ title, roles, current, children }: StaffPageProps) {
  const [staff] = useState(() => currentSession()?.staff);
  const allowed = staff !== undefined && roles.includes(staff.role);

  useEffect(() => {
    const leave = (reason?: string) => {
      endSession(reason);
      toSignIn();
    };
    whenSignedOut(leave);
    if (!staff) {
      // Never signed in here: just the sign-in page; timed out: say so.
      leave(sessionLapsed() ? STAFF_TEXT.sessionExpired : undefined);
      return undefined;
    }
    if (!allowed) {
      switchStaffPage(STAFF_ROUTES.home);
      return undefined;
    }
    const timer = setInterval(() => {
      if (!currentSession()) leave(STAFF_TEXT.sessionExpired);
    }, IDLE_CHECK_MS);
    return () => clearInterval(timer);
  }, []);

  if (!staff || !allowed) return <View className="staff" />;
  return (
    <View className="staff">
      <View className="staff__header" role="banner">
        <View className="staff__brand">灵活就业参保“一件事” · 工作人员</View>
        <View className="staff__who" data-testid="signed-in-as">
          {staff.name}（{staff.roleLabel}，{staff.regionName}）
        </View>
        <ActionButton
          small
          kind="secondary"
          testId="sign-out"
          onTap={() => {
            endSession(STAFF_TEXT.signedOut);
            toSignIn();
          }}
        >
          退出登录
        </ActionButton>
      </View>
      {staff.training && (
        <View className="staff__training" role="note">
          {STAFF_TEXT.training}
        </View>
      )}
      <View className="staff__menu" role="navigation" aria-label="工作人员菜单">
        {STAFF_MENU.filter((item) => item.roles.includes(staff.role)).map((item) => (
          <ActionButton
            key={item.route}
            small
            kind={item.route === current ? 'primary' : 'secondary'}
            testId={item.testId}
            label={item.route === current ? `${item.label}（当前页面）` : item.label}
            onTap={() => switchStaffPage(item.route)}
          >
            {item.label}
          </ActionButton>
        ))}
      </View>
      <View className="staff__main" role="main">
        <View className="staff__title" role="heading" aria-level={1}>
          {title}
        </View>
        {children(staff)}
      </View>
    </View>
  );
}
