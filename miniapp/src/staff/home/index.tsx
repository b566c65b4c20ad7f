import { View } from '@tarojs/components';
import { ActionButton } from '../../components/controls';
import { StaffPage } from '../components/StaffPage';
import { STAFF_MENU, STAFF_ROUTES, switchStaffPage } from '../services/nav';
import { ROLE_DUTIES } from '../text';

const DESCRIPTIONS: Record<string, string> = {
  [STAFF_ROUTES.window]: '读取身份证，核验条件和人脸，收邮寄费，代为填写并提交申请表。',
  [STAFF_ROUTES.cases]: '按办件编号、身份证号或手机号查找办件，查看进度，重新提交失败的事项。',
  [STAFF_ROUTES.dashboard]: '按市县、事项、渠道看申请量、办结、人工处理、用时和好差评。',
  [STAFF_ROUTES.audit]: '谁在什么时候查看或处理了什么；筛选、导出、校验是否被改动。',
  [STAFF_ROUTES.problems]: '群众反映的问题和差评回访，超期的在前；指定责任人、记录整改情况。',
};

/** What this member of staff can do, by role. */
export default function StaffHomePage() {
  return (
    <StaffPage title="工作台" roles={['windowClerk', 'agent', 'supervisor']} current={STAFF_ROUTES.home}>
      {(staff) => (
        <View>
          <View className="text" data-testid="role-duty">
            您好，{staff.name}。{ROLE_DUTIES[staff.role]}
          </View>
          <View className="columns">
            {STAFF_MENU.filter((item) => item.route !== STAFF_ROUTES.home && item.roles.includes(staff.role)).map(
              (item) => (
                <View key={item.route} className="panel">
                  <View className="card__title">{item.label}</View>
                  <View className="text text--muted">{DESCRIPTIONS[item.route]}</View>
                  <ActionButton onTap={() => switchStaffPage(item.route)} testId={`go-${item.testId.slice(5)}`}>
                    进入{item.label}
                  </ActionButton>
                </View>
              ),
            )}
          </View>
        </View>
      )}
    </StaffPage>
  );
}
