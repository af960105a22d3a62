// A memory-hungry function: on its first call it builds an in-memory lookup table of TABLE_MB
// megabytes (default 300, outside the V8 heap, every page written), as a function that loads a
// model or a reference data set would; later calls answer lookups from it. Below about
// TABLE_MB + 60 MB of memory the environment runs out of memory (Runtime.OutOfMemory), which is
// what a memory sweep has to survive and report.
const TABLE_MB = Number(process.env.TABLE_MB ?? 300);
const CHUNK_MB = 16;
let table;

async function buildTable() {
  const chunks = [];
  for (let built = 0; built < TABLE_MB; built += CHUNK_MB) {
    const chunk = Buffer.allocUnsafe(CHUNK_MB * 1024 * 1024);
    // Write every page so the memory is really resident, not just reserved.
    for (let i = 0; i < chunk.length; i += 4096) chunk[i] = (i >>> 12) & 0xff;
    chunks.push(chunk);
    // Yield between chunks, as real loaders do while reading their data.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return chunks;
}

export const handler = async (event) => {
  table ??= await buildTable();
  const keys = Array.isArray(event?.keys) ? event.keys : [1, 2, 3];
  const values = keys.map((k) => {
    const chunk = table[Math.abs(Number(k)) % table.length];
    return chunk[(Math.abs(Number(k)) * 4096) % chunk.length];
  });
  return { tableMB: TABLE_MB, values };
};
