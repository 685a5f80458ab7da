import { createLoad } from './src/load.mjs';
const load = await createLoad({ url: `http://127.0.0.1:${process.argv[2]}/mcp`, stateful: process.argv[3] !== 'stateless', concurrency: 32 });
const r = await load.run({ rampMs: 500, windowMs: 4000, onMark: async () => {}, onReport: async () => {} });
console.log('completed', r.completed, 'failed', r.failed, load.firstFailure());
load.close();
