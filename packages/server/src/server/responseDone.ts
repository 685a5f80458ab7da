/**
 * The end of a web-standard HTTP exchange: when the body of a `Response` has been read to its end by the runtime, or
 * cancelled (the client went away). Web-standard entry points use it to close a per-request server, or to end a
 * session's request in progress, once an SSE stream is over.
 *
 * @module
 */

/**
 * Returns `response` with its body wrapped so that `done` is called exactly once, when the body has been read to its
 * end, failed, or was cancelled; at once when there is no body. Status, status text and headers are kept.
 *
 * @example
 * ```ts
 * return whenResponseDone(await transport.handleRequest(request), () => server.close());
 * ```
 */
export function whenResponseDone(response: Response, done: () => void): Response {
    if (response.body === null) {
        done();
        return response;
    }
    let finished = false;
    const finish = (): void => {
        if (finished) return;
        finished = true;
        done();
    };
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
            try {
                const { done: ended, value } = await reader.read();
                if (ended) {
                    controller.close();
                    finish();
                } else {
                    controller.enqueue(value);
                }
            } catch (error) {
                controller.error(error);
                finish();
            }
        },
        cancel(reason) {
            finish();
            return reader.cancel(reason);
        }
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
