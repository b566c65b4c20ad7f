/** Citizen-facing text, plain Chinese, kept in one place. */

export const HOME_TEXT = {
  title: '灵活就业参保“一件事”',
  intro: (statutoryTotalDays: number) =>
    `以前，灵活就业人员参保要到人社、医保、税务部门分别办理六个事项，按规定最长要 ${statutoryTotalDays} 个工作日。` +
    '现在合成“一件事”：一次告知，填一张表，不用交材料，六个事项一次办好。',
  mattersHeading: '一次办好这六个事项',
  start: '开始办理 / 查看进度',
  departmentPrefix: '办理部门：',
  /** A walk-in citizen back from paying the postage on their phone at the window (窗口扫码支付). */
  windowPayment: {
    paid: '✓ 邮寄费已支付。请把手机给窗口工作人员看一下，工作人员会继续为您办理。',
    cancelled: '您取消了支付，没有扣款。如需支付，请让窗口工作人员再出示一次付款码。',
    other: '支付结果还在确认中，请告诉窗口工作人员，工作人员那边可以看到结果；不会重复扣款。',
  },
};

export const HELP_LINE_TEXT = {
  line: '咨询电话 12333 / 12345',
  hotlines: [
    { number: '12333', label: '拨打 12333（人社服务热线）' },
    { number: '12345', label: '拨打 12345（政务服务便民热线）' },
  ],
  callButton: (number: string) => `拨打 ${number}`,
};

/** Labels of the numbers the departments give (MatterView.refs). */
export const REF_LABELS: Readonly<Record<string, string>> = {
  registrationNo: '就业登记编号',
  transferLetterNo: '档案转递函编号',
  pensionRegistrationNo: '养老保险登记编号',
  personalRecordNo: '社会保险个人编号',
  cardApplicationNo: '社保卡申领编号',
  eCardNo: '电子社保卡号',
  medicalInsuranceNo: '医保参保编号',
  declarationNo: '社保费申报编号',
  receiptNo: '电子缴款凭证号',
  trackingNo: '社保卡邮件号',
};

/** A sign beside each state's words, so the state is never told by colour alone. */
export const STATE_SIGNS: Readonly<Record<string, string>> = {
  waiting: '…',
  accepted: '○',
  reviewing: '◔',
  retrying: '↻',
  manual: '✋',
  decided: '★',
  delivered: '✓',
  notNeeded: '－',
  rejected: '✗',
};

export const MATTER_VERDICT_LABELS: Readonly<Record<string, string>> = {
  apply: '可以办理',
  notNeeded: '不需要办理',
  blocked: '暂不能办理',
};

export const CARD_STATUS_LABELS: Readonly<Record<string, string>> = {
  accepted: '已受理，等待制卡',
  producing: '正在制卡',
  posted: '已寄出',
  delivered: '已签收',
};

export const RATING_LABELS: Readonly<Record<number, string>> = {
  5: '非常满意',
  4: '满意',
  3: '一般',
  2: '不满意',
  1: '非常不满意',
};
