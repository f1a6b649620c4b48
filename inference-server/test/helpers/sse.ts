import type { FastifyInstance } from 'fastify';
/**
 * Reads a Server-Sent Events stream and collects its `data` payloads, parsed as JSON; `ofType` gives those of one
 * event name.
 */
export function collectServerSentEvents<T>(url: string, headers: Record<string, string>) {
  const received: T[] = [];
  const names: string[] = [];
  const controller = new AbortController();
  const connected = (async () => {
    const response = await fetch(url, { headers, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`SSE answered ${response.status}`);
    return response.body;
  })();
  const reading = connected.then(async (body) => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = message.split('\n');
          const data = lines
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data) {
            received.push(JSON.parse(data) as T);
            names.push(lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message');
          }
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  });
  return {
    received,
    ofType: <E = T>(name: string) => received.filter((_, i) => names[i] === name) as unknown as E[],
    connected,
    close: async () => {
      controller.abort();
      await reading.catch(() => undefined);
    },
  };
}

/** Serves the app on a loopback port and follows its event stream as `token`, until the test ends. */
export async function openEventStream<T>(
  { app, defer }: { app: FastifyInstance; defer: (step: () => Promise<unknown>) => void },
  token: string,
  query = '',
) {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const stream = collectServerSentEvents<T>(`${address}/api/v1/events${query}`, {
    authorization: `Bearer ${token}`,
  });
  defer(stream.close);
  await stream.connected;
  return stream;
}
