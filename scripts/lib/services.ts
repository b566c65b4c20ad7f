// Child processes the scripts start (the BFF, later the simulators): start
// one, learn its address from its "listening" log line, stop it politely.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from '../paths';

export interface Service {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  name: string;
  /** A compiled entry point (`.js`, run with plain node) or a TypeScript one (run with `node --import tsx`). */
  entry: string;
  env: Record<string, string | undefined>;
  /** Where the child's output goes; defaults to this process's stdout/stderr. */
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
}

export function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts `entry` and resolves once it logs `{"msg":"listening","url":…}`. */
export function startService(options: ServiceOptions): Promise<Service> {
  const args = options.entry.endsWith('.ts') ? ['--import', 'tsx', options.entry] : [options.entry];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onLine = options.onLine ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderrTail: string[] = [];

  return new Promise<Service>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} 没有在 ${options.startTimeoutMs ?? 60_000} 毫秒内启动`));
    }, options.startTimeoutMs ?? 60_000);

    createInterface({ input: child.stdout! }).on('line', (line) => {
      onLine(line);
      if (!line.includes('"listening"')) return;
      try {
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === 'listening' && record.url) {
          clearTimeout(timer);
          resolve({ name: options.name, url: record.url, child, stop: () => stopChild(child) });
        }
      } catch {
        // not a log record: ignore
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
      onLine(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} 启动失败（退出码 ${code}）：${stderrTail.join('\n')}`));
    });
  });
}
