/**
 * The six matters (事项) of the one thing, in the order a citizen reads them,
 * with the dependency graph of the linked processing (业务联动办理).
 * Source: 宁人社发〔2026〕54号, 附件1 and 附件2.
 */
export type Department = 'hrss' | 'medical' | 'tax';

export const DEPARTMENT_NAMES: Record<Department, string> = {
  hrss: '人力资源社会保障部门',
  medical: '医疗保障部门',
  tax: '税务部门',
};

export type MatterId =
  | 'employmentRegistration' // 灵活就业人员就业登记
  | 'archiveTransfer' // 流动人员人事档案接收和转递
  | 'pensionRegistration' // 社会保险登记
  | 'socialSecurityCard' // 社会保障卡（含电子社保卡）申领
  | 'medicalRegistration' // 基本医疗保险参保和变更登记
  | 'premiumDeclaration'; // 灵活就业人员社会保险费申报

export interface Matter {
  id: MatterId;
  name: string;
  department: Department;
  /** 四级四同 statutory time limit, in working days. */
  statutoryLimitDays: number;
  /** Matters that must be done before this one starts. */
  dependsOn: MatterId[];
}

export const MATTERS: readonly Matter[] = [
  {
    id: 'employmentRegistration',
    name: '灵活就业人员就业登记',
    department: 'hrss',
    statutoryLimitDays: 10,
    dependsOn: [],
  },
  {
    id: 'archiveTransfer',
    name: '流动人员人事档案接收和转递',
    department: 'hrss',
    statutoryLimitDays: 20,
    dependsOn: ['employmentRegistration'],
  },
  {
    id: 'pensionRegistration',
    name: '社会保险登记',
    department: 'hrss',
    statutoryLimitDays: 20,
    dependsOn: ['employmentRegistration'],
  },
  {
    id: 'socialSecurityCard',
    name: '社会保障卡（含电子社保卡）申领',
    department: 'hrss',
    statutoryLimitDays: 30,
    dependsOn: ['pensionRegistration'],
  },
  {
    id: 'medicalRegistration',
    name: '基本医疗保险参保和变更登记',
    department: 'medical',
    statutoryLimitDays: 1,
    dependsOn: ['employmentRegistration'],
  },
  {
    id: 'premiumDeclaration',
    name: '灵活就业人员社会保险费申报',
    department: 'tax',
    statutoryLimitDays: 1,
    dependsOn: ['pensionRegistration', 'medicalRegistration'],
  },
];

/** 82 working days: what the six matters take one by one today. */
export const STATUTORY_TOTAL_DAYS = MATTERS.reduce((sum, m) => sum + m.statutoryLimitDays, 0);

export function matterById(id: MatterId): Matter {
  const matter = MATTERS.find((m) => m.id === id);
  if (!matter) throw new Error(`unknown matter ${id}`);
  return matter;
}
