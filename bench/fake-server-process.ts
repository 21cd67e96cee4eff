/**
 * The fake OpenAI server (test/helpers/fake-openai.ts) in a process of its own, as a real server
 * would be: its tokenizing and JSON work does not land on the measured process.
 *   node bench/fake-server-process.js [slow-ms]   → prints its base URL, runs until killed
 * With slow-ms, every chat request is answered only after that delay (an endpoint that times out).
 */
import { startFakeOpenAi } from '../test/helpers/fake-openai';

async function main(): Promise<void> {
  const fake = await startFakeOpenAi();
  const slowMs = Number(process.argv[2] ?? 0);
  if (slowMs > 0) fake.fail({ kind: 'slow', delayMs: slowMs, times: Number.MAX_SAFE_INTEGER }, 'chat');
  console.log(fake.baseUrl);
}

void main();
