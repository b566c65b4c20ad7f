/**
 * The staff accounts (工作人员账号) the identity platform holds, with their demo
 * passwords, so tests and training documents can sign in. Setup stores only
 * scrypt hashes. All names are fictional.
 */
import type { IdentityStaffRole } from '@flexins/shared';

export interface StaffSeed {
  staffId: string;
  username: string;
  /** Demo password; never stored, only its hash. */
  password: string;
  name: string;
  role: IdentityStaffRole;
  /** A county (6 digits), a city (4 digits) or the province ('64'). */
  regionCode: string;
  /** 培训账号: works only with training cases. */
  training: boolean;
}

export const STAFF_ACCOUNTS: readonly StaffSeed[] = [
  {
    staffId: 'S0001',
    username: 'xq.clerk',
    password: 'Xq-Window-2026',
    name: '马慧敏',
    role: 'windowClerk',
    regionCode: '640104', // 兴庆区政务服务大厅人社窗口
    training: false,
  },
  {
    staffId: 'S0002',
    username: 'xq.agent',
    password: 'Xq-Agent-2026',
    name: '王晓峰',
    role: 'agent',
    regionCode: '640104', // 兴庆区 12345 转办
    training: false,
  },
  {
    staffId: 'S0003',
    username: 'jf.agent',
    password: 'Jf-Agent-2026',
    name: '李娜',
    role: 'agent',
    regionCode: '640106', // 金凤区
    training: false,
  },
  {
    staffId: 'S0004',
    username: 'yc.agent',
    password: 'Yc-12333-2026',
    name: '张志强',
    role: 'agent',
    regionCode: '6401', // 银川市 12333
    training: false,
  },
  {
    staffId: 'S0005',
    username: 'nx.supervisor',
    password: 'Nx-Lead-2026',
    name: '杨建华',
    role: 'supervisor',
    regionCode: '64', // 自治区人社厅
    training: false,
  },
  {
    staffId: 'S0006',
    username: 'gy.supervisor',
    password: 'Gy-Lead-2026',
    name: '海玉霞',
    role: 'supervisor',
    regionCode: '6404', // 固原市人社局
    training: false,
  },
  {
    staffId: 'S0101',
    username: 'train.clerk',
    password: 'Train-Window-2026',
    name: '培训窗口人员',
    role: 'windowClerk',
    regionCode: '640104',
    training: true,
  },
  {
    staffId: 'S0102',
    username: 'train.agent',
    password: 'Train-Agent-2026',
    name: '培训客服人员',
    role: 'agent',
    regionCode: '6401',
    training: true,
  },
  {
    staffId: 'S0103',
    username: 'train.supervisor',
    password: 'Train-Lead-2026',
    name: '培训业务主管',
    role: 'supervisor',
    regionCode: '64',
    training: true,
  },
];

export function findStaffSeed(username: string): StaffSeed | undefined {
  return STAFF_ACCOUNTS.find((s) => s.username === username);
}
