// Fault switches (故障开关): latency, errors, hangs and lost replies, set from
// the environment at start and changed at run time through the admin API;
// plus scripted outcomes for one person (and optionally one operation).

export interface FaultSettings {
  /** Added to every signed call, in ms. */
  latencyMs: number;
  /** Uniform extra delay 0…jitterMs on top of latencyMs. */
  jitterMs: number;
  /** Share of calls answered 500/503 before any work is done. */
  errorRate: number;
  /** Share of calls held open for hangMs, then dropped without a reply. */
  hangRate: number;
  hangMs: number;
  /** Share of writes whose work is committed but whose reply is dropped. */
  lostReplyRate: number;
}

/** Realistic defaults for a government system behind a data-exchange gateway. */
export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 80,
  jitterMs: 120,
  errorRate: 0,
  hangRate: 0,
  hangMs: 120_000,
  lostReplyRate: 0,
};

export type ScriptedOutcomeKind = 'error' | 'unavailable' | 'hang' | 'lostReply' | 'refuse';

export interface ScriptedOutcome {
  idNumber: string;
  /** Only this operation; all of the person's calls when absent. */
  operationId?: string;
  outcome: ScriptedOutcomeKind;
  /** For `refuse`: the department error code to answer with. */
  code?: string;
  /** How many calls it applies to; every call when absent. */
  times?: number;
}

const RATE_NAMES = ['errorRate', 'hangRate', 'lostReplyRate'] as const;
const MS_NAMES = ['latencyMs', 'jitterMs', 'hangMs'] as const;

/** Checks a partial update; returns the Chinese problems, keyed by field. */
export function checkFaultUpdate(update: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [key, value] of Object.entries(update)) {
    if ((RATE_NAMES as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) problems[key] = `${key} 必须是 0 到 1 之间的数`;
    } else if ((MS_NAMES as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 3_600_000) {
        problems[key] = `${key} 必须是 0 到 3600000 之间的整数（毫秒）`;
      }
    } else {
      problems[key] = `不认识的故障开关 ${key}`;
    }
  }
  return problems;
}

/** SIM_LATENCY_MS, SIM_JITTER_MS, SIM_ERROR_RATE, SIM_HANG_RATE, SIM_HANG_MS, SIM_LOST_REPLY_RATE. */
export function faultsFromEnv(env: Record<string, string | undefined>): FaultSettings {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new Error(`${name} 必须是数字（现在是 "${raw}"）`);
    return value;
  };
  const settings: FaultSettings = {
    latencyMs: read('SIM_LATENCY_MS', DEFAULT_FAULTS.latencyMs),
    jitterMs: read('SIM_JITTER_MS', DEFAULT_FAULTS.jitterMs),
    errorRate: read('SIM_ERROR_RATE', DEFAULT_FAULTS.errorRate),
    hangRate: read('SIM_HANG_RATE', DEFAULT_FAULTS.hangRate),
    hangMs: read('SIM_HANG_MS', DEFAULT_FAULTS.hangMs),
    lostReplyRate: read('SIM_LOST_REPLY_RATE', DEFAULT_FAULTS.lostReplyRate),
  };
  const problems = checkFaultUpdate({ ...settings });
  if (Object.keys(problems).length) throw new Error(Object.values(problems).join('；'));
  return settings;
}

export type FaultDecision = 'proceed' | 'error' | 'unavailable' | 'hang' | 'lostReply';

/** Holds the current switches and scripts of one simulator process. */
export class FaultBoard {
  private scripts: ScriptedOutcome[] = [];

  constructor(
    public settings: FaultSettings,
    private readonly random: () => number = Math.random,
  ) {}

  update(partial: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...partial };
    return this.settings;
  }

  addScript(script: ScriptedOutcome): void {
    this.scripts.push({ ...script });
  }

  clearScripts(): void {
    this.scripts = [];
  }

  listScripts(): ScriptedOutcome[] {
    return this.scripts.map((s) => ({ ...s }));
  }

  delayMs(): number {
    return this.settings.latencyMs + Math.floor(this.random() * (this.settings.jitterMs + 1));
  }

  /** A scripted outcome for this person and operation, consumed once per call. */
  takeScript(idNumber: string | undefined, operationId: string): ScriptedOutcome | undefined {
    if (!idNumber) return undefined;
    const index = this.scripts.findIndex(
      (s) => s.idNumber === idNumber && (!s.operationId || s.operationId === operationId) && (s.times ?? 1) > 0,
    );
    if (index < 0) return undefined;
    const script = this.scripts[index]!;
    if (script.times !== undefined) script.times -= 1;
    return { ...script };
  }

  /** Before the work: fail, hang, or go on. */
  beforeWork(): 'proceed' | 'error' | 'unavailable' | 'hang' {
    const { errorRate, hangRate } = this.settings;
    const roll = this.random();
    if (roll < errorRate) return this.random() < 0.5 ? 'error' : 'unavailable';
    if (roll < errorRate + hangRate) return 'hang';
    return 'proceed';
  }

  /** After a write committed: drop the reply or not. */
  loseReply(): boolean {
    return this.random() < this.settings.lostReplyRate;
  }
}
