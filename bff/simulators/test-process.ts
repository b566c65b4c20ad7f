// Starts a simulator's server.ts as a real process (as `npm start` will),
// waits for its "listening" log line, and stops it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { uniqueDatabaseName } from '../test/database';

const REPO = path.resolve(__dirname, '../..');

export interface ServerProcess {
  url: string;
  dbName: string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** Drops the process's database. */
  dropDatabase(): Promise<void>;
}

export async function startServerProcess(
  department: string,
  extraEnv: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<ServerProcess> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run tests through `npm test`');
  const dbName = uniqueDatabaseName(`proc_${department}`);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', `bff/simulators/${department}/server.ts`], {
    cwd: REPO,
    env: {
      ...process.env,
      MONGODB_URI: uri,
      SIM_DB_NAME: dbName,
      SIM_PORT: '0',
      SIM_CALLERS: 'bff:x',
      SIM_ADMIN_TOKEN: 't',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${department} did not start: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const record = JSON.parse(line) as { msg?: string; url?: string };
          if (record.msg === 'listening' && record.url) {
            clearTimeout(timer);
            resolve(record.url);
          }
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${department} exited with ${code} before listening: ${stderr}`));
    });
  });

  return {
    url,
    dbName,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async dropDatabase() {
      const db = mongoose.createConnection(uri, { dbName });
      await db.asPromise();
      await db.dropDatabase();
      await db.close();
    },
  };
}
