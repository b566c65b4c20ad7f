/** Citizen-facing text, plain Chinese, kept in one place. */

export const HOME_TEXT = {
  title: '灵活就业参保“一件事”',
  intro: (statutoryTotalDays: number) =>
    `以前，灵活就业人员参保要到人社、医保、税务部门分别办理六个事项，按规定最长要 ${statutoryTotalDays} 个工作日。` +
    '现在合成“一件事”：一次告知，填一张表，不用交材料，六个事项一次办好。',
  mattersHeading: '一次办好这六个事项',
  departmentPrefix: '办理部门：',
};

export const HELP_LINE_TEXT = {
  line: '咨询电话 12333 / 12345',
  hotlines: [
    { number: '12333', label: '拨打 12333（人社服务热线）' },
    { number: '12345', label: '拨打 12345（政务服务便民热线）' },
  ],
  callButton: (number: string) => `拨打 ${number}`,
};
