// One mongoose connection per process, with pool and time-out settings that
// suit a BFF in front of slow department systems: fail fast when the database
// is gone rather than queue requests forever.
import mongoose, { type Connection } from 'mongoose';

export const CONNECTION_OPTIONS = {
  maxPoolSize: 20,
  minPoolSize: 1,
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  socketTimeoutMS: 30_000,
  // Queueing model calls while disconnected hides outages; fail instead.
  bufferCommands: false,
} as const;

mongoose.set('strictQuery', true);

export async function connectDatabase(uri: string, dbName?: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { ...CONNECTION_OPTIONS, ...(dbName ? { dbName } : {}) });
  await connection.asPromise();
  return connection;
}

/** Resolves when the server answers `ping`; rejects with the driver's reason otherwise. */
export async function pingDatabase(connection: Connection, timeoutMs = 2_000): Promise<void> {
  if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) {
    throw new Error(`数据库未连接（状态 ${mongoose.ConnectionStates[connection.readyState]}）`);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`数据库 ${timeoutMs} 毫秒内没有应答`)), timeoutMs);
  });
  try {
    await Promise.race([connection.db.admin().ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
