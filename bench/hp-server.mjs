import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startServer } from './src/servers.mjs';
const counter = { calls: 0 };
const server = await startServer(process.argv[2] ?? 'ours', process.argv[3] ?? 'stateful-sse', counter);
const session = new Session(); session.connect();
console.log(JSON.stringify({ port: server.port }));
setTimeout(async () => {
  await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  const c0 = counter.calls;
  setTimeout(async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync('/tmp/hp/alloc.json', JSON.stringify({ profile, calls: counter.calls - c0 }));
    process.exit(0);
  }, 3000);
}, 1500);
