// `FLEXINS_H5_STATS=<file> npm run build:h5` writes which modules each chunk of the
// H5 build holds and their sizes (minified chunks name no modules), to see what a page
// loads and why. Nothing is written without the variable.
import fs from 'node:fs';
import type { Compiler } from 'webpack';

export class ChunkStatsPlugin {
  constructor(private readonly file: string) {}

  apply(compiler: Compiler): void {
    compiler.hooks.done.tap('ChunkStatsPlugin', (stats) => {
      const json = stats.toJson({
        all: false,
        chunks: true,
        chunkModules: true,
        chunkOrigins: true,
        assets: false,
        modules: false,
        ids: true,
      });
      const chunks = (json.chunks ?? []).map((chunk) => ({
        id: chunk.id,
        names: chunk.names,
        files: chunk.files,
        initial: chunk.initial,
        size: chunk.size,
        origins: [...new Set((chunk.origins ?? []).map((o) => o.request))].slice(0, 30),
        modules: (chunk.modules ?? [])
          .map((m) => ({ name: m.name, size: m.size }))
          .sort((a, b) => (b.size ?? 0) - (a.size ?? 0)),
      }));
      fs.writeFileSync(this.file, JSON.stringify(chunks, null, 1));
    });
  }
}
