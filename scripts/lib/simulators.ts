// The department simulators (and the SMS gateway) as real processes, wired to each other and
// ready for the BFF: one caller secret per calling system, an admin token,
// and HRSS pointed at the payment system for the card postage check.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ROOT } from '../paths';
import { builtEntry } from './build';
import { startService, type Service } from './services';

export const DEPARTMENTS = ['payment', 'identity', 'hrss', 'medical', 'tax', 'market', 'sms'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export interface SimulatorSecrets {
  /** What the BFF signs its calls with, per department. */
  bff: Record<Department, string>;
  /** What HRSS signs its postage checks with. */
  hrssToPayment: string;
  /** What the payment system signs its notifications to the BFF with. */
  paymentNotify: string;
  adminToken: string;
}

export interface RunningSimulators {
  urls: Record<Department, string>;
  secrets: SimulatorSecrets;
  services: Service[];
  stop(): Promise<void>;
}

const secret = () => randomBytes(24).toString('base64url');

export function newSecrets(): SimulatorSecrets {
  return {
    bff: {
      payment: secret(),
      identity: secret(),
      hrss: secret(),
      medical: secret(),
      tax: secret(),
      market: secret(),
      sms: secret(),
    },
    hrssToPayment: secret(),
    paymentNotify: secret(),
    adminToken: secret(),
  };
}

export interface StartOptions {
  mongodbUri: string;
  /** Port of the first simulator (the others follow); 0 picks free ports. */
  basePort?: number;
  host?: string;
  secrets?: SimulatorSecrets;
  /** Extra environment for every simulator (fault switches, SIM_OPT_*). */
  env?: Record<string, string>;
  /** Per-department database names (tests use throw-away ones). */
  dbNames?: Partial<Record<Department, string>>;
  onLine?: (department: Department, line: string) => void;
  /** Run the compiled simulators (build/, see scripts/lib/build.ts) instead of the sources. */
  fromBuild?: boolean;
}

export async function startSimulators(options: StartOptions): Promise<RunningSimulators> {
  const secrets = options.secrets ?? newSecrets();
  const host = options.host ?? '127.0.0.1';
  const services: Service[] = [];
  const urls = {} as Record<Department, string>;
  const stop = async () => {
    await Promise.all(services.map((s) => s.stop()));
  };

  try {
    for (const [index, department] of DEPARTMENTS.entries()) {
      const callers = [`bff:${secrets.bff[department]}`];
      if (department === 'payment') callers.push(`hrss:${secrets.hrssToPayment}`);
      const env: Record<string, string> = {
        MONGODB_URI: options.mongodbUri,
        SIM_HOST: host,
        SIM_PORT: String(options.basePort ? options.basePort + index : 0),
        SIM_CALLERS: callers.join(','),
        SIM_ADMIN_TOKEN: secrets.adminToken,
        ...(options.dbNames?.[department] ? { SIM_DB_NAME: options.dbNames[department]! } : {}),
        ...options.env,
      };
      if (department === 'payment') env.SIM_OPT_NOTIFY_SECRET = secrets.paymentNotify;
      if (department === 'hrss') {
        env.SIM_PEER_PAYMENT_URL = urls.payment;
        env.SIM_PEER_PAYMENT_CALLER = 'hrss';
        env.SIM_PEER_PAYMENT_SECRET = secrets.hrssToPayment;
      }
      const source = path.join(ROOT, 'bff/simulators', department, 'server.ts');
      const service = await startService({
        name: `模拟${department}`,
        entry: options.fromBuild ? builtEntry(source) : source,
        env,
        onLine: options.onLine ? (line) => options.onLine!(department, line) : () => {},
      });
      services.push(service);
      urls[department] = service.url;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, secrets, services, stop };
}
