// The PostgreSQL cluster under FerretDB when FLEXINS_DB=postgres: Debian's
// `postgresql` package (installed with apt-get when we are root, otherwise
// named), a cluster of our own in a folder we are given (created by initdb on
// first use), one server process listening only on a Unix socket in that
// folder, run as Debian's `postgres` user when we are root (initdb and the
// server refuse root), and stopped with us.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const POSTGRES_PACKAGE = 'postgresql';
const DATABASE = 'ferretdb';
const PORT = 5432; // only names the socket file: the server listens on no TCP port
const START_TIMEOUT_MS = 60_000;

export interface RunningPostgres {
  /** For FerretDB's `-postgresql-url`. */
  url: string;
  stop(): Promise<void>;
}

/** Debian keeps each major version's programs in /usr/lib/postgresql/<version>/bin; the newest installed. */
function installedBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0]!, 'bin') : undefined;
}

/** The folder of PostgreSQL's programs, installing Debian's package first when it is missing and we are root. */
export function ensurePostgresInstalled(log: (line: string) => void = console.log): string {
  const found = installedBinDir();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `FLEXINS_DB=postgres 需要 Debian 的 ${POSTGRES_PACKAGE}：请运行 sudo apt-get install -y ${POSTGRES_PACKAGE}`,
    );
  }
  log(`正在安装 ${POSTGRES_PACKAGE}（apt-get）…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', POSTGRES_PACKAGE]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env, timeout: 15 * 60_000 });
    if (result.status !== 0) {
      throw new Error(`安装 ${POSTGRES_PACKAGE} 失败：apt-get ${args[0]} 退出码 ${result.status ?? result.signal}`);
    }
  }
  const installed = installedBinDir();
  if (!installed) throw new Error(`安装 ${POSTGRES_PACKAGE} 后仍找不到 /usr/lib/postgresql/<版本>/bin/initdb`);
  return installed;
}

/** As root, PostgreSQL's programs run as Debian's `postgres` user; otherwise as ourselves. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('以 root 运行时 PostgreSQL 需要系统用户 postgres（Debian 的 postgresql 软件包会创建它）');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(bin: string, args: string[], user: ReturnType<typeof runAs>): string {
  const result = spawnSync(bin, args, { ...user, encoding: 'utf8', timeout: START_TIMEOUT_MS });
  if (result.status !== 0) {
    const why = (result.error?.message ?? `${result.stderr}${result.stdout}`).trim().split('\n').slice(-3).join(' ');
    throw new Error(`PostgreSQL：${path.basename(bin)} 失败：${why}`);
  }
  return result.stdout;
}

/**
 * Starts a PostgreSQL server on the cluster in `dir` (`dir/data`, created on
 * first use; socket in `dir/run`; log in `dir/postgres.log`). `durable:
 * false` (tests) turns off fsync and synchronous commits: faster, and a
 * machine's crash loses the cluster, which tests throw away anyway.
 */
export async function startPostgres(options: {
  dir: string;
  durable: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const bin = ensurePostgresInstalled(options.log);
  const user = runAs();
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'run');
  fs.mkdirSync(socketDir, { recursive: true });
  if (user) {
    for (const folder of [dir, socketDir]) fs.chownSync(folder, user.uid, user.gid);
    // The postgres user must be able to reach the folder.
    const reach = spawnSync('test', ['-w', dir], { ...user });
    if (reach.status !== 0) throw new Error(`PostgreSQL：用户 postgres 无法进入 ${dir}（上级目录的权限）`);
  }
  fs.chmodSync(dir, 0o700);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    run(
      path.join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions'],
      user,
    );
  }
  // A server left running by a run that was killed holds the cluster: stop it.
  if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
    spawnSync(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], {
      ...user,
      stdio: 'ignore',
    });
  }

  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: socketDir,
    port: String(PORT),
    // The planner picks the indexes for `$or` and date ranges once the table
    // has statistics (autovacuum's analyze): look for work every 10 s, not 60.
    autovacuum_naptime: '10s',
    ...(options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
  };
  const logFile = path.join(dir, 'postgres.log');
  const logFd = fs.openSync(logFile, 'a');
  // The server runs under a small shell that stops it (fast shutdown) when
  // its standard input closes: when we stop it, and also when we die without
  // a word (SIGKILL), which would otherwise leave it running.
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      'exec 3<&0; "$@" & pid=$!; (read -r _ <&3; kill -INT "$pid" 2>/dev/null) & wait "$pid"',
      'postgres',
      path.join(bin, 'postgres'),
      '-D',
      dataDir,
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { ...user, stdio: ['pipe', logFd, 'pipe'] },
  );
  fs.closeSync(logFd);
  const lastLines: string[] = [];
  const stopped = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Fast shutdown (open transactions rolled back, a checkpoint written);
    // if it hangs, an immediate one.
    const timer = setTimeout(() => {
      spawnSync(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], { ...user, stdio: 'ignore' });
    }, 15_000);
    child.stdin!.end();
    await stopped;
    clearTimeout(timer);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`PostgreSQL ${START_TIMEOUT_MS / 1000} 秒内未就绪（日志：${logFile}）`)),
        START_TIMEOUT_MS,
      );
      const lines = createInterface({ input: child.stderr! });
      lines.on('line', (line) => {
        fs.appendFileSync(logFile, `${line}\n`);
        lastLines.push(line);
        if (lastLines.length > 5) lastLines.shift();
        if (/database system is ready to accept connections/.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL 无法启动：${err.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL 启动失败（退出码 ${code ?? signal}）：${lastLines.join(' ').slice(-400)}`));
      });
    });
    const psql = path.join(bin, 'psql');
    const connect = ['-h', socketDir, '-p', String(PORT), '-U', 'postgres', '-d', 'postgres', '-tAq'];
    const exists = run(psql, [...connect, '-c', `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`], user);
    if (exists.trim() !== '1') run(psql, [...connect, '-c', `CREATE DATABASE ${DATABASE}`], user);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `postgres://postgres@/${DATABASE}?host=${encodeURIComponent(socketDir)}&port=${PORT}`;
  return { url, stop };
}
