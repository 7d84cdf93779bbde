// Reads a child process's JavaScript heap after a full garbage collection, through the inspector the
// child opened with `--inspect=127.0.0.1:0` (NODE_OPTIONS): the service needs no test hooks and is
// not started differently otherwise. Counts the main isolate only (worker threads have their own
// heaps: their memory shows in the process's RSS).

export interface HeapProbe {
  /** Forces a full GC in the child, then returns the bytes its main-thread heap still uses. */
  heapUsedAfterGc(): Promise<number>;
  close(): void;
}

/** Node's inspector options for NODE_OPTIONS: a random local port, announced on stderr. */
export const INSPECT_OPTION = '--inspect=127.0.0.1:0';

interface InspectorReply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** Connects to the inspector whose "Debugger listening on ws://…" line is in `output`. */
export async function connectHeapProbe(output: string): Promise<HeapProbe> {
  const match = /Debugger listening on (ws:\/\/\S+)/.exec(output);
  if (match?.[1] === undefined) throw new Error(`the process opened no inspector:\n${output}`);
  const socket = new WebSocket(match[1]);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener(
      'open',
      () => {
        resolve();
      },
      { once: true },
    );
    socket.addEventListener(
      'error',
      () => {
        reject(new Error('inspector connection failed'));
      },
      {
        once: true,
      },
    );
  });
  const pending = new Map<number, (reply: InspectorReply) => void>();
  let nextId = 1;
  socket.addEventListener('message', (event) => {
    const reply = JSON.parse(String(event.data)) as InspectorReply;
    if (reply.id === undefined) return;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });

  async function call(method: string): Promise<Record<string, unknown>> {
    const id = nextId;
    nextId += 1;
    const reply = await new Promise<InspectorReply>((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
    if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result ?? {};
  }

  return {
    async heapUsedAfterGc() {
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.getHeapUsage');
      return Number(usage['usedSize']);
    },
    close: () => {
      socket.close();
    },
  };
}
