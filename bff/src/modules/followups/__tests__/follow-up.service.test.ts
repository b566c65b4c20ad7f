// The follow-up's own rules against the real database, with HRSS out of
// reach (its address answers nothing): leasing, opening, what a check does
// for a case with nothing to follow, one still being worked, one whose case
// is missing, and one whose HRSS does not answer; and the worker leaves no
// timer behind when it stops.
import { createLogger } from '@flexins/shared/server';
import { useTestDatabase } from '../../../../test/database';
import { testConfig } from '../../../../test/config';
import { createDepartments } from '../../../departments';
import { createServices } from '../../../services';
import { caseModel, type ApplicationCase } from '../../applications/application.model';
import { FollowUpService, ORPHAN_AFTER_MS } from '../follow-up.service';
import type { FollowUp } from '../follow-up.model';

const db = useTestDatabase();
const lines: string[] = [];
const log = createLogger('debug', (line) => lines.push(line));

let serial = 0;
const nextCaseNo = () => `LJ2026112900${String(++serial).padStart(4, '0')}`;

function followUps(intervalMs = 60_000): FollowUpService {
  const config = testConfig();
  // Nothing listens there: a question to HRSS fails at once.
  const departments = createDepartments({ callerId: 'bff', endpoints: config.departments.endpoints, timeoutMs: 200 });
  return new FollowUpService(db.connection, departments, log, { intervalMs });
}

type Matters = Partial<Record<string, { state: string; refs?: Record<string, string> }>>;

/** A case as the engine leaves it, with only what a check reads. */
async function storeCase(caseNo: string, matters: Matters): Promise<void> {
  const matter = (m?: { state: string; refs?: Record<string, string> }) => ({
    state: m?.state ?? 'delivered',
    attempts: 1,
    refs: m?.refs ?? {},
    updatedAt: new Date(),
  });
  await caseModel(db.connection).collection.insertOne({
    _id: caseNo,
    caseNo,
    status: 'awaitingPayment',
    training: false,
    matters: {
      employmentRegistration: matter(),
      archiveTransfer: matter(matters.archiveTransfer),
      pensionRegistration: matter(),
      socialSecurityCard: matter(matters.socialSecurityCard),
      medicalRegistration: matter(),
      premiumDeclaration: matter({ state: 'decided' }),
    },
    events: [{ at: new Date(), text: `申请已提交，办件编号 ${caseNo}` }],
    createdAt: new Date(),
    updatedAt: new Date(),
  } as unknown as Omit<ApplicationCase, '_id'>);
}

async function opened(service: FollowUpService, caseNo: string): Promise<FollowUp> {
  await service.open(caseNo);
  return (await service.model.findById(caseNo).lean<FollowUp>())!;
}

const linesAbout = (caseNo: string, msg: string) =>
  lines.filter((l) => l.includes(caseNo) && l.includes(`"msg":"${msg}"`));

describe('leasing', () => {
  it('gives a due follow-up to exactly one of many leases at once, and again only after its interval', async () => {
    const service = followUps(1_000);
    const caseNo = nextCaseNo();
    await service.open(caseNo, new Date(Date.now() - 1_000));
    const leases = await Promise.all(Array.from({ length: 8 }, () => service.lease()));
    const taken = leases.filter((l): l is FollowUp => l !== null);
    expect(taken.map((l) => l._id)).toEqual([caseNo]);
    expect(await service.lease()).toBeNull();
    expect(await service.lease(new Date(Date.now() + 1_100))).toMatchObject({ _id: caseNo, checks: 2 });
  });

  it('opens a follow-up once: opening it again leaves its time as it was', async () => {
    const service = followUps();
    const caseNo = nextCaseNo();
    const first = await opened(service, caseNo);
    expect(first.nextAt.getTime() - first.createdAt.getTime()).toBe(60_000);
    await service.open(caseNo, new Date(Date.now() + 5_000));
    expect(await service.model.findById(caseNo).lean()).toEqual(first);
  });
});

describe('a check', () => {
  it('finishes at once, asking HRSS nothing, when the card is not needed and the archive was refused', async () => {
    const service = followUps();
    const caseNo = nextCaseNo();
    await storeCase(caseNo, { socialSecurityCard: { state: 'notNeeded' }, archiveTransfer: { state: 'rejected' } });
    const outcome = await service.check(await opened(service, caseNo));
    expect(outcome).toEqual({ kind: 'finished', announced: [] });
    expect(await service.model.findById(caseNo).lean()).toBeNull();
    expect(linesAbout(caseNo, 'follow-up: HRSS did not answer')).toEqual([]);
  });

  it('finishes when a matter was settled offline by staff, with no HRSS number to ask about', async () => {
    const service = followUps();
    const caseNo = nextCaseNo();
    await storeCase(caseNo, {
      socialSecurityCard: { state: 'delivered', refs: { offlineReference: 'XX-1' } },
      archiveTransfer: { state: 'notNeeded' },
    });
    expect(await service.check(await opened(service, caseNo))).toEqual({ kind: 'finished', announced: [] });
  });

  it('stays open, asking HRSS nothing, while the card is still worked or in manual handling', async () => {
    const service = followUps();
    for (const state of ['retrying', 'manual', 'waiting']) {
      const caseNo = nextCaseNo();
      await storeCase(caseNo, { socialSecurityCard: { state }, archiveTransfer: { state: 'notNeeded' } });
      expect(await service.check(await opened(service, caseNo))).toEqual({ kind: 'open', announced: [] });
      expect(await service.model.findById(caseNo).lean()).not.toBeNull();
      expect(linesAbout(caseNo, 'follow-up: HRSS did not answer')).toEqual([]);
    }
  });

  it('stays open, with a warning naming the case and nothing personal, while HRSS does not answer', async () => {
    const service = followUps();
    const caseNo = nextCaseNo();
    await storeCase(caseNo, {
      socialSecurityCard: { state: 'delivered', refs: { cardApplicationNo: 'SB20261129000001' } },
      archiveTransfer: { state: 'delivered', refs: { transferLetterNo: 'DA20261129000001' } },
    });
    expect(await service.check(await opened(service, caseNo))).toEqual({ kind: 'open', announced: [] });
    const warnings = linesAbout(caseNo, 'follow-up: HRSS did not answer').map((l) => JSON.parse(l));
    expect(warnings.map((w) => [w.level, w.item])).toEqual(
      expect.arrayContaining([
        ['warn', 'card'],
        ['warn', 'archive'],
      ]),
    );
    const caseDoc = await caseModel(db.connection).findById(caseNo).lean<ApplicationCase>();
    expect(caseDoc!.events).toHaveLength(1);
  });

  it('keeps a follow-up whose case is not there yet, and drops it once that case cannot come any more', async () => {
    const service = followUps();
    const young = await opened(service, nextCaseNo());
    expect(await service.check(young)).toEqual({ kind: 'open', announced: [] });
    expect(await service.model.findById(young._id).lean()).not.toBeNull();

    const old = { ...young, createdAt: new Date(Date.now() - ORPHAN_AFTER_MS - 1_000) };
    expect(await service.check(old)).toEqual({ kind: 'dropped' });
    expect(await service.model.findById(young._id).lean()).toBeNull();
  });
});

describe('the worker', () => {
  it('checks a due follow-up when it starts, and stops at once, mid-sleep, leaving no timer behind', async () => {
    // A minute between checks: the worker sleeps 30–60 s after its first sweep.
    const config = testConfig({ FOLLOW_UP_INTERVAL_MS: '60000', WORKER_CONCURRENCY: '1' });
    const services = createServices(config, db.connection, log);
    const caseNo = nextCaseNo();
    await storeCase(caseNo, { socialSecurityCard: { state: 'retrying' }, archiveTransfer: { state: 'notNeeded' } });
    await services.followUps.open(caseNo, new Date(Date.now() - 60_000));
    const checks = async () => (await services.followUps.model.findById(caseNo).lean())?.checks ?? 0;
    // The database's own timers are there by now; only the worker's are counted.
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();

    services.worker!.start();
    // Checked, not only leased (a lease counts the check before HRSS is asked): the worker is
    // past it and on its way to sleep, which is what stopping "at once" is about.
    const checked = () => lines.some((line) => line.includes('follow-up checked') && line.includes(caseNo));
    const deadline = Date.now() + 10_000;
    while ((await checks()) < 1 || !checked()) {
      if (Date.now() > deadline) throw new Error('the follow-up was not checked');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stopping = Date.now();
    await services.worker!.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    // The worker's own sleeps would last 15 s (recovery) or 30–60 s (follow-ups); a timer
    // of the HTTP client's (a kept-alive connection to HRSS, a few seconds) may outlive the
    // stop by a little. So the count must be back to before within 5 s.
    const settled = Date.now() + 5_000;
    while (timers() > before && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timers()).toBeLessThanOrEqual(before);
    expect(await checks()).toBe(1);
    // Jest's limit above the test's own 10 s deadline for the first check, so that a slow
    // machine fails with what did not happen, not with jest's 5 s default.
  }, 20_000);
});
