// The load generator, in its own process so its CPU is not the relay's: `concurrency` keep-alive
// connections posting one signed message per request. Closed loop measures throughput (each sender
// posts again as soon as it is answered); open loop sends on a fixed schedule whatever the answers do,
// and times each answer from its SCHEDULED send time, so a stalled server cannot hide its latency by
// slowing the sender down (coordinated omission). Driven by run.ts over IPC.
import { Agent, request } from 'node:http';
import { loadResultSchema, loadRunSchema, type LoadResult, type LoadRun } from './ipc.ts';
import { LatencyRecorder, monotonicMicros } from './measure.ts';
import { fanoutText, signatureOf, webhookBody } from './webhook-bodies.ts';

type Outcome = 'acknowledged' | 'refused' | 'failed';

interface Signed {
  body: Buffer;
  signature: string;
}

function post(agent: Agent, url: URL, { body, signature }: Signed): Promise<Outcome> {
  return new Promise((resolve) => {
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/webhook',
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-hub-signature-256': signature,
        },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode === 200 ? 'acknowledged' : 'refused'));
        response.once('error', () => resolve('failed'));
      },
    );
    outgoing.once('error', () => resolve('failed'));
    outgoing.end(body);
  });
}

class Tally {
  readonly latency = new LatencyRecorder();
  sent = 0;
  acknowledged = 0;
  refused = 0;
  failed = 0;

  count(outcome: Outcome, latencyMs: number): void {
    this[outcome] += 1;
    if (outcome === 'acknowledged') this.latency.record(latencyMs);
  }

  result(durationMs: number): LoadResult {
    return loadResultSchema.parse({
      type: 'result',
      sent: this.sent,
      acknowledged: this.acknowledged,
      refused: this.refused,
      failed: this.failed,
      durationMs: Math.round(durationMs),
      ackLatencyMs: this.latency.summary(),
    });
  }
}

function signedMessage(run: LoadRun, index: number, scheduledMicros: number): Signed {
  const text = run.marked
    ? fanoutText(index, scheduledMicros)
    : `Hola, quisiera saber el precio del modelo ${index}`;
  const body = webhookBody(`wamid.${run.runId}.${index}`, index, text, Math.floor(Date.now() / 1000));
  return { body, signature: signatureOf(body, run.appSecret) };
}

async function closedLoop(run: LoadRun, messages: number, maxSeconds: number): Promise<LoadResult> {
  const url = new URL(run.url);
  const agent = new Agent({ keepAlive: true, maxSockets: run.concurrency });
  // Signed before the clock starts: the generator's own work should not pace the server.
  const bodies = Array.from({ length: messages }, (_, i) => signedMessage(run, i, 0));
  const tally = new Tally();
  const start = monotonicMicros();
  const deadline = start + maxSeconds * 1e6;
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < bodies.length && monotonicMicros() < deadline) {
      const signed = bodies[next++]!;
      tally.sent += 1;
      const sentAt = monotonicMicros();
      const outcome = await post(agent, url, signed);
      tally.count(outcome, (monotonicMicros() - sentAt) / 1000);
    }
  };
  await Promise.all(Array.from({ length: run.concurrency }, sender));
  const durationMs = (monotonicMicros() - start) / 1000;
  agent.destroy();
  return tally.result(durationMs);
}

async function openLoop(run: LoadRun, rate: number, seconds: number): Promise<LoadResult> {
  const url = new URL(run.url);
  // At most `concurrency` requests on the wire; later ones wait in the agent's queue, on the clock.
  const agent = new Agent({ keepAlive: true, maxSockets: run.concurrency });
  const total = Math.round(rate * seconds);
  const ready = run.marked ? [] : Array.from({ length: total }, (_, i) => signedMessage(run, i, 0));
  const tally = new Tally();
  const start = monotonicMicros() + 10_000;
  const scheduledAt = (i: number): number => start + Math.round((i * 1e6) / rate);
  const answers: Promise<void>[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = monotonicMicros();
      while (next < total && scheduledAt(next) <= now) {
        const index = next++;
        const scheduled = scheduledAt(index);
        const signed = ready[index] ?? signedMessage(run, index, scheduled);
        tally.sent += 1;
        answers.push(
          post(agent, url, signed).then((outcome) =>
            tally.count(outcome, (monotonicMicros() - scheduled) / 1000),
          ),
        );
      }
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, (scheduledAt(next) - monotonicMicros()) / 1000));
    };
    tick();
  });
  await Promise.all(answers);
  const durationMs = (monotonicMicros() - start) / 1000;
  agent.destroy();
  return tally.result(durationMs);
}

process.on('message', (message: unknown) => {
  const run = loadRunSchema.parse(message);
  const { pattern } = run;
  const done =
    pattern.kind === 'closed'
      ? closedLoop(run, pattern.messages, pattern.maxSeconds)
      : openLoop(run, pattern.rate, pattern.seconds);
  done.then(
    (result) => process.send?.(result),
    (error: unknown) => {
      process.stderr.write(`load generator: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
