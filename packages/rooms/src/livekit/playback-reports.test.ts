import { type PerformRpcParams, RpcError } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { PlaybackReports, type RpcCaller } from './playback-reports.js';

/** A fake of the room's local participant: answers each call as `answer` says (the real path is in e2e/livekit). */
class FakeCaller implements RpcCaller {
  readonly calls: { method: string; payload: string; at: number }[] = [];
  constructor(readonly answer: (call: PerformRpcParams, n: number) => Promise<string>) {}
  performRpc(params: PerformRpcParams): Promise<string> {
    this.calls.push({ method: params.method, payload: params.payload, at: performance.now() });
    return this.answer(params, this.calls.length);
  }
}

function reports(caller: FakeCaller | undefined, options: { responseTimeoutMs?: number } = {}) {
  const errors: string[] = [];
  const answered: string[] = [];
  const sender = new PlaybackReports({
    caller: () => caller,
    agent: () => 'agent',
    onAnswered: (identity) => answered.push(identity),
    onError: (error) => errors.push(error.message),
    retryMs: 10,
    ackSlackMs: 50,
    ...options,
  });
  return { sender, errors, answered };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PlaybackReports', () => {
  it('sends started then finished in order, each after the previous one was answered', async () => {
    const caller = new FakeCaller(async (call) => {
      if (call.method === 'lk.playback_started') await sleep(50);
      return 'ok';
    });
    const { sender, answered } = reports(caller);
    sender.started();
    sender.finished({ playback_position: 1.2, interrupted: true });
    await sleep(10);
    expect(caller.calls.map((c) => c.method)).toEqual(['lk.playback_started']);
    expect(sender.unsettled).toBe(2);
    await sender.idle;
    expect(sender.unsettled).toBe(0);
    expect(caller.calls.map((c) => [c.method, c.payload])).toEqual([
      ['lk.playback_started', ''],
      ['lk.playback_finished', '{"playback_position":1.2,"interrupted":true}'],
    ]);
    expect(answered).toEqual(['agent', 'agent']);
  });

  it('tries a failing report three times, then says so; a later report still goes out', async () => {
    const caller = new FakeCaller(async (_call, n) => {
      if (n <= 3) throw new RpcError(1500, 'connection timeout');
      return 'ok';
    });
    const { sender, errors } = reports(caller);
    sender.finished({ playback_position: 1, interrupted: false });
    sender.finished({ playback_position: 2, interrupted: false });
    await sender.idle;
    expect(caller.calls).toHaveLength(4);
    expect(errors).toEqual([expect.stringMatching(/^lk.playback_finished failed 3 times/)]);
  });

  it('does not retry playback_started that the agent does not register', async () => {
    const caller = new FakeCaller(async (call) => {
      if (call.method === 'lk.playback_started')
        throw new RpcError(RpcError.ErrorCode.UNSUPPORTED_METHOD, 'unsupported method');
      return 'ok';
    });
    const { sender, errors } = reports(caller);
    sender.started();
    sender.finished({ playback_position: 1, interrupted: false });
    await sender.idle;
    expect(caller.calls.map((c) => c.method)).toEqual(['lk.playback_started', 'lk.playback_finished']);
    expect(errors).toEqual([]);
  });

  it('bounds a call whose answer never comes by its own timer, so later reports are not held', async () => {
    const caller = new FakeCaller((_call, n) =>
      n === 1 ? new Promise<string>(() => {}) : Promise.resolve('ok'),
    );
    const { sender, errors } = reports(caller, { responseTimeoutMs: 100 });
    const started = performance.now();
    sender.finished({ playback_position: 1, interrupted: false });
    await sender.idle;
    expect(caller.calls).toHaveLength(2);
    expect(caller.calls[1]!.at - started).toBeGreaterThanOrEqual(140);
    expect(errors).toEqual([]);
  });

  it('sends nothing once the avatar is out of the room', async () => {
    const { sender, errors } = reports(undefined);
    sender.finished({ playback_position: 1, interrupted: false });
    await sender.idle;
    expect(errors).toEqual([]);
  });
});
