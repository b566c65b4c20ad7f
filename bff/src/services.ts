// The composition root: every service of the BFF built once from the
// settings, so the routes, the worker and the tests share one wiring.
import type { Logger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import { createDepartments, type Departments, type DepartmentsConfig } from './departments';
import { ApplicationService } from './modules/applications/application.service';
import { AuditService } from './modules/audit/audit.service';
import { CertificateService } from './modules/certificates/certificate.service';
import { applicantModel } from './modules/citizens/applicant.model';
import { CitizenService } from './modules/citizens/citizen.service';
import { DraftService } from './modules/drafts/draft.service';
import { EligibilityService } from './modules/eligibility/eligibility.service';
import { FollowUpService } from './modules/followups/follow-up.service';
import { FollowUpWorker } from './modules/followups/follow-up.worker';
import { MessageService } from './modules/messages/message.service';
import { NotificationWorker } from './modules/notifications/notification.worker';
import { Notifier } from './modules/notifications/notifier';
import { postageModel } from './modules/postage/postage.model';
import { PostageService } from './modules/postage/postage.service';
import { ProblemService } from './modules/problems/problem.service';
import { DEFAULT_ENGINE_OPTIONS, ProcessingEngine, type EngineOptions } from './modules/processing/engine';
import { DEFAULT_WORKER_OPTIONS, Worker, type WorkerOptions } from './modules/processing/worker';
import { StaffCaseService } from './modules/staff/staff-case.service';
import { WindowService } from './modules/staff/window.service';
import { DailySummaryService, type DailySummaryOptions } from './modules/supervision/daily-summary.service';
import { DailySummaryWorker } from './modules/supervision/daily-summary.worker';
import { SupervisionService } from './modules/supervision/supervision.service';
import { TokenService } from './platform/auth';
import type { Config } from './platform/config';
import { FieldCipher } from './platform/crypto';
import { RateLimitStore } from './platform/rate-limit';

export interface Services {
  config: Config;
  db: Connection;
  log: Logger;
  cipher: FieldCipher;
  tokens: TokenService;
  rateLimits: RateLimitStore;
  departments: Departments;
  engine: ProcessingEngine;
  /** Absent when this process runs no worker (WORKER_MODE=off). */
  worker?: Worker;
  followUps: FollowUpService;
  /** Sends the timeline's news out as SMS and subscription messages. */
  notifier: Notifier;
  /** Runs the notifier wherever the worker runs (absent with WORKER_MODE=off). */
  notificationWorker?: NotificationWorker;
  citizens: CitizenService;
  eligibility: EligibilityService;
  drafts: DraftService;
  postage: PostageService;
  applications: ApplicationService;
  messages: MessageService;
  certificates: CertificateService;
  audit: AuditService;
  problems: ProblemService;
  supervision: SupervisionService;
  dailySummaries: DailySummaryService;
  /** Makes the day before's summary; runs wherever the worker runs (absent with WORKER_MODE=off). */
  summaryWorker?: DailySummaryWorker;
  staffCases: StaffCaseService;
  window: WindowService;
}

export interface ServiceOverrides {
  departments?: Departments;
  engineOptions?: Partial<EngineOptions>;
  workerOptions?: Partial<WorkerOptions>;
  dailySummaryOptions?: Partial<DailySummaryOptions>;
}

export function departmentsConfig(config: Config): DepartmentsConfig {
  return {
    callerId: config.departments.callerId,
    endpoints: config.departments.endpoints,
    timeoutMs: config.departments.timeoutMs,
  };
}

export function createServices(
  config: Config,
  db: Connection,
  log: Logger,
  overrides: ServiceOverrides = {},
): Services {
  const cipher = FieldCipher.fromConfig(config);
  const tokens = TokenService.fromConfig(config);
  const rateLimits = new RateLimitStore(db);
  const departments = overrides.departments ?? createDepartments(departmentsConfig(config));
  const engine = new ProcessingEngine(db, departments, cipher, log, {
    ...DEFAULT_ENGINE_OPTIONS,
    maxAttempts: config.worker.maxAttempts,
    baseBackoffMs: config.worker.retryBaseMs,
    leaseMs: config.worker.leaseMs,
    ...overrides.engineOptions,
  });
  const followUps = new FollowUpService(db, departments, log, { intervalMs: config.worker.followUpIntervalMs });
  const notifier = new Notifier(db, departments, (caseNo) => engine.readData(caseNo), log, {
    leaseMs: config.worker.leaseMs,
    concurrency: config.worker.concurrency,
    retryBaseMs: config.worker.retryBaseMs,
    quietHours: config.worker.notifyQuietHours,
  });
  const worker =
    config.worker.mode === 'inline'
      ? new Worker(
          engine,
          log,
          {
            ...DEFAULT_WORKER_OPTIONS,
            concurrency: config.worker.concurrency,
            ...overrides.workerOptions,
          },
          new FollowUpWorker(followUps, log),
        )
      : undefined;
  const applicants = applicantModel(db);
  const citizens = new CitizenService(applicants, departments, cipher, tokens);
  const postage = new PostageService(
    postageModel(db),
    departments,
    config.publicUrl,
    config.departments.paymentNotifySecret,
  );
  const applications = new ApplicationService(db, citizens, postage, departments, cipher, engine, worker, followUps);
  postage.onPremiumPaid((order, requestId) => applications.settlePremium(order, requestId));
  const messages = new MessageService(applicants, applications.cases);
  const certificates = new CertificateService(applications.cases);
  engine.listen(certificates);
  const eligibility = new EligibilityService(applicants, citizens, departments);
  const audit = new AuditService(db);
  const problems = new ProblemService(db);
  const supervision = new SupervisionService(db, problems);
  engine.listen(supervision);
  const dailySummaries = new DailySummaryService(db, log, {
    at: config.worker.dailySummaryAt,
    ...overrides.dailySummaryOptions,
  });
  const summaryWorker = worker ? new DailySummaryWorker(dailySummaries, log) : undefined;
  const notificationWorker = worker ? new NotificationWorker(notifier, log, config.worker.notifyIntervalMs) : undefined;
  applications.listen(supervision);
  applications.listen(problems);
  const staffCases = new StaffCaseService(db, applications.cases, cipher, audit, engine, supervision, worker);
  const window = new WindowService(
    db,
    departments,
    citizens,
    eligibility,
    postage,
    applications,
    audit,
    config.publicUrl,
  );
  return {
    config,
    db,
    log,
    cipher,
    tokens,
    rateLimits,
    departments,
    engine,
    ...(worker ? { worker } : {}),
    followUps,
    notifier,
    citizens,
    eligibility,
    drafts: new DraftService(applicants, cipher),
    postage,
    applications,
    messages,
    certificates,
    audit,
    problems,
    supervision,
    dailySummaries,
    ...(summaryWorker ? { summaryWorker } : {}),
    ...(notificationWorker ? { notificationWorker } : {}),
    staffCases,
    window,
  };
}
