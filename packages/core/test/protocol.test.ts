import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import {
    AlreadyConnectedError,
    ErrorCode,
    HandlerAlreadyRegisteredError,
    InMemoryTransport,
    InvalidResultError,
    McpError,
    SdkError,
    SdkErrorCode,
    NotConnectedError,
    Protocol,
    UrlElicitationRequiredError
} from '../src/index.js';
import type { JSONRPCMessage, ProtocolOptions, RequestHandlerExtra } from '../src/index.js';

/** A minimal concrete side with no capability checks. */
class Side extends Protocol {
    readonly errors: Error[] = [];
    constructor(options?: ProtocolOptions) {
        super(options);
        this.onerror = error => this.errors.push(error);
    }
    protected assertCapabilityForMethod(method: string): void {
        if (method === 'forbidden/method') throw new Error(`peer lacks capability for ${method}`);
    }
    protected assertNotificationCapability(): void {}
    protected assertRequestHandlerCapability(): void {}
}

const AnyResult = z.looseObject({});
const EchoResult = z.looseObject({ echoed: z.string() });

const open: Side[] = [];

async function pair(
    aOptions?: ProtocolOptions,
    bOptions?: ProtocolOptions
): Promise<{ a: Side; b: Side; sentByA: JSONRPCMessage[]; sentByB: JSONRPCMessage[] }> {
    const [ta, tb] = InMemoryTransport.createLinkedPair();
    const sentByA: JSONRPCMessage[] = [];
    const sentByB: JSONRPCMessage[] = [];
    // Observe the wire by recording what each side receives from the other.
    tb.onmessage = message => sentByA.push(message);
    ta.onmessage = message => sentByB.push(message);
    const a = new Side(aOptions);
    const b = new Side(bOptions);
    await a.connect(ta);
    await b.connect(tb);
    open.push(a, b);
    return { a, b, sentByA, sentByB };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>(r => (resolve = r));
    return { promise, resolve };
}

const tick = () => new Promise(r => setTimeout(r, 0));

afterEach(async () => {
    for (const side of open.splice(0)) await side.close();
});

describe('Protocol request/response', () => {
    it('correlates a request with its response and parses the result', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/echo', request => ({ echoed: String(request.params?.text) }));
        await expect(a.request({ method: 'test/echo', params: { text: 'hi' } }, EchoResult)).resolves.toEqual({
            echoed: 'hi'
        });
    });

    it('answers ping with an empty result out of the box', async () => {
        const { a } = await pair();
        await expect(a.request({ method: 'ping' }, AnyResult)).resolves.toEqual({});
    });

    it('answers an unknown method with -32601', async () => {
        const { a } = await pair();
        const error = await a.request({ method: 'nope/nothing' }, AnyResult).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(McpError);
        expect((error as McpError).code).toBe(ErrorCode.MethodNotFound);
        expect((error as McpError).message).toContain('nope/nothing');
    });

    it('answers invalid params of a known method with -32602 and a readable message', async () => {
        const { a, b } = await pair();
        let called = false;
        b.setRequestHandler('tools/call', () => {
            called = true;
            return { content: [] };
        });
        const error = (await a
            .request({ method: 'tools/call', params: { arguments: {} } }, AnyResult)
            .catch((e: unknown) => e)) as McpError;
        expect(error.code).toBe(ErrorCode.InvalidParams);
        expect(error.message).toMatch(/tools\/call.*name: expected string/);
        expect(called).toBe(false);
    });

    it('passes typed, validated params to a known-method handler', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('tools/call', request => ({
            content: [{ type: 'text', text: `${request.params.name}:${JSON.stringify(request.params.arguments)}` }]
        }));
        const result = await a.request(
            { method: 'tools/call', params: { name: 'add', arguments: { x: 1 } } },
            AnyResult
        );
        expect(result).toEqual({ content: [{ type: 'text', text: 'add:{"x":1}' }] });
    });

    it('turns a thrown plain error into -32603 carrying its message', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/boom', () => {
            throw new Error('kaboom');
        });
        const error = (await a.request({ method: 'test/boom' }, AnyResult).catch((e: unknown) => e)) as McpError;
        expect(error).toBeInstanceOf(McpError);
        expect(error.code).toBe(ErrorCode.InternalError);
        expect(error.message).toBe('kaboom');
    });

    it('passes a thrown McpError through with its code, message and data', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/missing', () => {
            throw new McpError(ErrorCode.ResourceNotFound, 'no such resource', { uri: 'x://y' });
        });
        const error = (await a.request({ method: 'test/missing' }, AnyResult).catch((e: unknown) => e)) as McpError;
        expect(error.code).toBe(ErrorCode.ResourceNotFound);
        expect(error.message).toBe('no such resource');
        expect(error.data).toEqual({ uri: 'x://y' });
    });

    it('rebuilds a -32042 error as UrlElicitationRequiredError', async () => {
        const { a, b } = await pair();
        const elicitation = { mode: 'url' as const, message: 'Sign in', elicitationId: 'e1', url: 'https://x.test' };
        b.setRequestHandler('test/needs-url', () => {
            throw new UrlElicitationRequiredError([elicitation]);
        });
        const error = await a.request({ method: 'test/needs-url' }, AnyResult).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UrlElicitationRequiredError);
        expect((error as UrlElicitationRequiredError).elicitations).toEqual([elicitation]);
    });

    it('rejects a result that does not match the schema with InvalidResultError naming the method', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/echo', () => ({ echoed: 42 }));
        const error = await a.request({ method: 'test/echo' }, EchoResult).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidResultError);
        expect((error as InvalidResultError).message).toMatch(/test\/echo.*echoed: expected string/);
    });

    it('uses the fallback request handler for unregistered methods', async () => {
        const { a, b } = await pair();
        b.fallbackRequestHandler = async request => ({ echoed: request.method });
        await expect(a.request({ method: 'any/thing' }, EchoResult)).resolves.toEqual({ echoed: 'any/thing' });
    });

    it('answers -32601 again after a handler is removed', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/echo', () => ({ echoed: 'x' }));
        b.removeRequestHandler('test/echo');
        const error = (await a.request({ method: 'test/echo' }, AnyResult).catch((e: unknown) => e)) as McpError;
        expect(error.code).toBe(ErrorCode.MethodNotFound);
    });

    it('reports a response for an unknown id to onerror instead of throwing', async () => {
        const { a, b } = await pair();
        await b.transport!.send({ jsonrpc: '2.0', id: 999, result: {} });
        await tick();
        expect(a.errors.map(e => e.message)).toEqual([expect.stringContaining('unknown request id 999')]);
    });

    it('rejects with NotConnectedError before connect', async () => {
        const side = new Side();
        await expect(side.request({ method: 'ping' }, AnyResult)).rejects.toBeInstanceOf(NotConnectedError);
        await expect(side.notification({ method: 'x' })).rejects.toBeInstanceOf(NotConnectedError);
    });

    it('refuses a second connect while connected', async () => {
        const { a } = await pair();
        const [t] = InMemoryTransport.createLinkedPair();
        await expect(a.connect(t)).rejects.toBeInstanceOf(AlreadyConnectedError);
    });

    it('checks the peer capability first when enforceStrictCapabilities is set', async () => {
        const { a, sentByA } = await pair({ enforceStrictCapabilities: true });
        await expect(a.request({ method: 'forbidden/method' }, AnyResult)).rejects.toThrow(/lacks capability/);
        await tick();
        expect(sentByA).toEqual([]);
    });

    it('reports duplicate registration through assertCanSetRequestHandler', async () => {
        const { b } = await pair();
        expect(() => b.assertCanSetRequestHandler('test/x')).not.toThrow();
        b.setRequestHandler('test/x', () => ({}));
        expect(() => b.assertCanSetRequestHandler('test/x')).toThrow(HandlerAlreadyRegisteredError);
    });
});

describe('Protocol timeouts', () => {
    it('rejects with SdkError REQUEST_TIMEOUT and sends notifications/cancelled with the request id', async () => {
        const { a, b, sentByA } = await pair();
        const handlerAborted = deferred();
        b.setRequestHandler('test/slow', (_request, extra) => {
            extra.signal.addEventListener('abort', handlerAborted.resolve);
            return new Promise(() => {});
        });
        const error = (await a
            .request({ method: 'test/slow' }, AnyResult, { timeout: 50 })
            .catch((e: unknown) => e)) as SdkError;
        expect(error).toBeInstanceOf(SdkError);
        expect(error.code).toBe(SdkErrorCode.RequestTimeout);
        expect(error.data).toEqual({ timeout: 50 });
        await handlerAborted.promise;
        const request = sentByA.find(m => 'method' in m && m.method === 'test/slow');
        const cancelled = sentByA.find(m => 'method' in m && m.method === 'notifications/cancelled');
        expect(cancelled).toMatchObject({ params: { requestId: (request as { id: number }).id } });
    });

    it('uses defaultRequestTimeout when the request gives none', async () => {
        const { a, b } = await pair({ defaultRequestTimeout: 30 });
        b.setRequestHandler('test/slow', () => new Promise(() => {}));
        await expect(a.request({ method: 'test/slow' }, AnyResult)).rejects.toMatchObject({
            code: SdkErrorCode.RequestTimeout
        });
    });

    it('keeps a request alive while progress resets the timeout', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/progressing', async (_request, extra) => {
            const token = extra._meta?.progressToken;
            for (let i = 1; i <= 6; i++) {
                await new Promise(r => setTimeout(r, 30));
                await extra.sendNotification({
                    method: 'notifications/progress',
                    params: { progressToken: token, progress: i }
                });
            }
            return { echoed: 'done' };
        });
        const seen: number[] = [];
        const result = await a.request({ method: 'test/progressing' }, EchoResult, {
            timeout: 100,
            resetTimeoutOnProgress: true,
            onprogress: p => seen.push(p.progress)
        });
        expect(result).toEqual({ echoed: 'done' });
        expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('still fails at maxTotalTimeout even while progress keeps arriving', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/forever', async (_request, extra) => {
            const token = extra._meta?.progressToken;
            let i = 0;
            while (!extra.signal.aborted) {
                await new Promise(r => setTimeout(r, 20));
                await extra.sendNotification({
                    method: 'notifications/progress',
                    params: { progressToken: token, progress: ++i }
                });
            }
            return {};
        });
        let progressCount = 0;
        const error = (await a
            .request({ method: 'test/forever' }, AnyResult, {
                timeout: 100,
                resetTimeoutOnProgress: true,
                maxTotalTimeout: 200,
                onprogress: () => progressCount++
            })
            .catch((e: unknown) => e)) as McpError;
        expect(error.code).toBe(SdkErrorCode.RequestTimeout);
        expect(error.message).toMatch(/maximum total timeout/);
        expect(progressCount).toBeGreaterThan(2);
    });
});

describe('Protocol timeouts: which limit fired', () => {
    afterEach(() => {
        vi.useRealTimers();
    });

    it('reports maxTotalTimeout even when the timer fires before Date.now() shows the cap elapsed', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/slow', () => new Promise(() => {}));
        vi.useFakeTimers();
        const pending = a
            .request({ method: 'test/slow' }, AnyResult, { timeout: 1000, maxTotalTimeout: 100 })
            .catch((e: unknown) => e);
        // Real timers may fire up to a millisecond early relative to Date.now(): reproduce that skew.
        vi.setSystemTime(Date.now() - 2);
        await vi.advanceTimersByTimeAsync(100);
        const error = (await pending) as McpError;
        expect(error.code).toBe(SdkErrorCode.RequestTimeout);
        expect(error.message).toMatch(/maximum total timeout/);
    });
});

describe('Protocol cancellation', () => {
    it('rejects with the abort reason, sends notifications/cancelled and aborts the peer handler; no late response', async () => {
        const { a, b, sentByB } = await pair();
        const started = deferred();
        const aborted = deferred();
        let finish!: () => void;
        b.setRequestHandler('test/slow', (_request, extra) => {
            started.resolve();
            extra.signal.addEventListener('abort', aborted.resolve);
            return new Promise(resolve => (finish = () => resolve({ late: true })));
        });
        const controller = new AbortController();
        const pending = a.request({ method: 'test/slow' }, AnyResult, { signal: controller.signal });
        await started.promise;
        const reason = new Error('user gave up');
        controller.abort(reason);
        await expect(pending).rejects.toBe(reason);
        await aborted.promise;
        finish();
        await tick();
        expect(sentByB.filter(m => 'result' in m)).toEqual([]);
    });

    it('a handler that reads its signal only after the cancellation finds it aborted with the reason; no response', async () => {
        const { a, b, sentByB } = await pair();
        const started = deferred();
        const cancelled = deferred();
        let seen: { aborted: boolean; reason: unknown } | undefined;
        b.setRequestHandler('test/late-reader', async (_request, extra) => {
            started.resolve();
            await cancelled.promise;
            seen = { aborted: extra.signal.aborted, reason: extra.signal.reason };
            return { done: true };
        });
        const controller = new AbortController();
        const pending = a.request({ method: 'test/late-reader' }, AnyResult, { signal: controller.signal });
        await started.promise;
        controller.abort(new Error('stop'));
        await expect(pending).rejects.toThrow('stop');
        await tick();
        cancelled.resolve();
        await tick();
        expect(seen?.aborted).toBe(true);
        expect(String(seen?.reason)).toMatch(/stop/);
        expect(sentByB.filter(m => 'result' in m)).toEqual([]);
    });

    it('ignores, without reporting an error, a response that arrives after the request was cancelled', async () => {
        const { a, b } = await pair();
        const started = deferred();
        let finish!: () => void;
        // A peer that does not honour notifications/cancelled (e.g. a stateless server that never sees it).
        b.removeNotificationHandler('notifications/cancelled');
        b.setRequestHandler('test/slow', () => {
            started.resolve();
            return new Promise(resolve => (finish = () => resolve({ late: true })));
        });
        const controller = new AbortController();
        const pending = a.request({ method: 'test/slow' }, AnyResult, { signal: controller.signal });
        await started.promise;
        controller.abort(new Error('stop'));
        await expect(pending).rejects.toThrow('stop');
        finish();
        await tick();
        expect(a.errors).toEqual([]);
        // A response for an id that was never cancelled is still reported.
        a.transport!.onmessage!({ jsonrpc: '2.0', id: 12345, result: {} });
        expect(a.errors.map(e => e.message)).toEqual([expect.stringContaining('unknown request id 12345')]);
    });

    it('wraps a non-Error abort reason in McpError and never sends an already-aborted request', async () => {
        const { a, sentByA } = await pair();
        const controller = new AbortController();
        controller.abort('nope');
        const error = await a
            .request({ method: 'ping' }, AnyResult, { signal: controller.signal })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(McpError);
        expect((error as McpError).message).toContain('nope');
        await tick();
        expect(sentByA).toEqual([]);
    });

    it('rejects pending requests with SdkError CONNECTION_CLOSED on close and aborts in-flight handlers', async () => {
        const { a, b } = await pair();
        const handlerAborted = deferred();
        const started = deferred();
        b.setRequestHandler('test/slow', (_request, extra) => {
            extra.signal.addEventListener('abort', handlerAborted.resolve);
            started.resolve();
            return new Promise(() => {});
        });
        let closed = 0;
        a.onclose = () => closed++;
        const pending = a.request({ method: 'test/slow' }, AnyResult);
        await started.promise;
        await a.close();
        await expect(pending).rejects.toMatchObject({
            code: SdkErrorCode.ConnectionClosed,
            message: 'Connection closed'
        });
        await handlerAborted.promise;
        expect(closed).toBe(1);
        expect(a.transport).toBeUndefined();
    });
});

describe('Protocol notifications', () => {
    it('coalesces parameterless debounced notifications sent in one tick', async () => {
        const { a, b } = await pair({ debouncedNotificationMethods: ['notifications/tools/list_changed'] });
        let count = 0;
        b.setNotificationHandler('notifications/tools/list_changed', () => {
            count++;
        });
        await Promise.all([
            a.notification({ method: 'notifications/tools/list_changed' }),
            a.notification({ method: 'notifications/tools/list_changed' }),
            a.notification({ method: 'notifications/tools/list_changed' })
        ]);
        await tick();
        expect(count).toBe(1);
        await a.notification({ method: 'notifications/tools/list_changed' });
        await tick();
        expect(count).toBe(2);
    });

    it('does not coalesce debounced notifications that carry params', async () => {
        const { a, b } = await pair({ debouncedNotificationMethods: ['test/changed'] });
        let count = 0;
        b.setNotificationHandler('test/changed', () => {
            count++;
        });
        await a.notification({ method: 'test/changed', params: { n: 1 } });
        await a.notification({ method: 'test/changed', params: { n: 2 } });
        await tick();
        expect(count).toBe(2);
    });

    it('routes progress to the matching request and reports unknown tokens', async () => {
        const { a, b } = await pair();
        b.setRequestHandler('test/work', async (_request, extra) => {
            await extra.sendNotification({
                method: 'notifications/progress',
                params: { progressToken: extra._meta!.progressToken!, progress: 1, total: 2, message: 'half' }
            });
            return {};
        });
        const updates: unknown[] = [];
        await a.request({ method: 'test/work' }, AnyResult, { onprogress: p => updates.push(p) });
        expect(updates).toEqual([{ progress: 1, total: 2, message: 'half' }]);

        await b.notification({ method: 'notifications/progress', params: { progressToken: 'stray', progress: 1 } });
        await tick();
        expect(a.errors.map(e => e.message)).toEqual([expect.stringContaining('unknown progress token stray')]);
    });

    it('reports invalid params of a known notification to onerror without calling the handler', async () => {
        const { a, b } = await pair();
        let called = false;
        b.setNotificationHandler('notifications/message', () => {
            called = true;
        });
        await a.notification({ method: 'notifications/message', params: { level: 'loud' } });
        await tick();
        expect(called).toBe(false);
        expect(b.errors[0]?.message).toMatch(/notifications\/message.*level/);
    });

    it('passes relatedRequestId of the incoming request to the transport from handler extra', async () => {
        const [ta, tb] = InMemoryTransport.createLinkedPair();
        const related: unknown[] = [];
        const originalSend = tb.send.bind(tb);
        tb.send = (message, options) => {
            related.push([('method' in message && message.method) || 'response', options?.relatedRequestId]);
            return originalSend(message, options);
        };
        const a = new Side();
        const b = new Side();
        open.push(a, b);
        await a.connect(ta);
        await b.connect(tb);
        a.setRequestHandler('test/inner', () => ({}));
        b.setRequestHandler('test/outer', async (_request, extra: RequestHandlerExtra) => {
            await extra.sendNotification({ method: 'test/note' });
            await extra.sendRequest({ method: 'test/inner' }, AnyResult);
            return {};
        });
        await a.request({ method: 'test/outer' }, AnyResult);
        expect(related).toEqual([
            ['test/note', 0],
            ['test/inner', 0],
            ['response', 0]
        ]);
    });
});
