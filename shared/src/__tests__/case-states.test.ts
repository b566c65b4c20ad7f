import {
  caseSummary,
  FINAL_MATTER_STATES,
  MATTER_STAGES,
  MATTER_STATES,
  MATTER_STATE_LABELS,
  isFinalMatterState,
  matterStateInfo,
  type MatterState,
} from '../case-states';

const ALL: MatterState[] = [
  'notNeeded',
  'waiting',
  'accepted',
  'reviewing',
  'retrying',
  'decided',
  'delivered',
  'manual',
  'rejected',
];

describe('matter states', () => {
  it('are the nine states, each once, with a Chinese label and a plain explanation', () => {
    expect(MATTER_STATES.map((s) => s.state).sort()).toEqual([...ALL].sort());
    for (const s of MATTER_STATES) {
      expect(MATTER_STATE_LABELS[s.state]).toBe(s.label);
      expect(s.label).toMatch(/^[\u4e00-\u9fff，]+$/);
      expect(s.explanation).toMatch(/。$/);
    }
  });

  it('follow the work plan’s four stages 受理 → 审核 → 决定 → 送达', () => {
    expect(MATTER_STAGES.map((s) => s.label)).toEqual(['受理', '审核', '决定', '送达']);
    expect(matterStateInfo('accepted').stage).toBe('accepted');
    expect(matterStateInfo('reviewing').stage).toBe('reviewing');
    expect(matterStateInfo('retrying').stage).toBe('reviewing');
    expect(matterStateInfo('decided').stage).toBe('decided');
    expect(matterStateInfo('delivered').stage).toBe('delivered');
    expect(matterStateInfo('notNeeded').stage).toBeNull();
  });

  it('end in delivered, not needed or rejected; retrying and manual handling are never final', () => {
    expect([...FINAL_MATTER_STATES].sort()).toEqual(['delivered', 'notNeeded', 'rejected']);
    for (const state of ALL) expect(isFinalMatterState(state)).toBe(FINAL_MATTER_STATES.includes(state));
    expect(isFinalMatterState('manual')).toBe(false);
    expect(isFinalMatterState('retrying')).toBe(false);
    expect(isFinalMatterState('decided')).toBe(false);
  });

  it('label what the citizen sees', () => {
    expect(MATTER_STATE_LABELS).toMatchObject({
      notNeeded: '无需办理',
      waiting: '等待前序事项',
      retrying: '正在重试',
      manual: '人工处理中',
      rejected: '不予办理',
    });
    expect(() => matterStateInfo('lost' as MatterState)).toThrow();
  });
});

describe('a case in one line (caseSummary)', () => {
  it('leads with what is done, then what waits for the citizen', () => {
    expect(caseSummary(['delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'decided'])).toBe(
      '已办结 5/6，待缴费 1',
    );
  });

  it('names staff handling, refusals, matters not needed and work under way', () => {
    expect(caseSummary(['delivered', 'manual', 'waiting', 'notNeeded', 'reviewing', 'rejected'])).toBe(
      '已办结 1/6，人工处理中 1，不予办理 1，无需办理 1，办理中 2',
    );
  });
});
