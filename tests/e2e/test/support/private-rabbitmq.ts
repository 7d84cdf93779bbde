// A RabbitMQ the test may restart without disturbing the shared broker other tests use.
//
// Where the `rabbitmq-server` command exists (CI, any machine with the rabbitmq-server package), it is
// a node of the test's own: its own node name, AMQP and distribution ports, configuration, (empty)
// plugin list and data and log directories, all in a temporary directory, really shut down and
// started again. Elsewhere (a laptop whose broker runs in a container) it falls back to a TCP proxy in
// front of the shared broker: "stop" cuts every connection through it and refuses new ones until
// "start"; the broker's queues survive, as they would a real restart of a durable broker.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { freePort } from './service-process.ts';

const run = promisify(execFile);

export interface PrivateRabbitMq {
  /** amqp://guest:guest@127.0.0.1:<port> */
  readonly url: string;
  /** How the restart is made: a private node, or the proxy fallback. */
  readonly kind: 'private-node' | 'proxy';
  /** Starts the node and resolves once it accepts AMQP connections. */
  start(): Promise<void>;
  /** Shuts the node down (`rabbitmqctl shutdown`) and waits for its process to exit. */
  stop(): Promise<void>;
  /** Stops it if running and removes its directory. */
  close(): Promise<void>;
}

async function acceptsConnections(url: string): Promise<boolean> {
  try {
    const connection = await amqp.connect(url);
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

/** The debian wrapper runs the node as the `rabbitmq` user when started by root. */
async function giveToRabbitmqUser(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'rabbitmq']).then(({ stdout }) => Number(stdout.trim())),
    run('id', ['-g', 'rabbitmq']).then(({ stdout }) => Number(stdout.trim())),
  ]).catch(() => [undefined, undefined]);
  if (uid === undefined || gid === undefined) return;
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir)) await chown(join(dir, entry), uid, gid);
}

async function hasRabbitmqServer(): Promise<boolean> {
  return run('sh', ['-c', 'command -v rabbitmq-server']).then(
    () => true,
    () => false,
  );
}

/** A private node when `rabbitmq-server` is installed, else a cuttable proxy to `sharedUrl`. */
export async function createRestartableRabbitMq(sharedUrl: string): Promise<PrivateRabbitMq> {
  return (await hasRabbitmqServer()) ? createPrivateRabbitMq() : createRabbitMqProxy(sharedUrl);
}

async function createRabbitMqProxy(sharedUrl: string): Promise<PrivateRabbitMq> {
  const target = new URL(sharedUrl);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;

  function forward(client: Socket): void {
    const upstream = connect(Number(target.port || 5672), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }

  async function start(): Promise<void> {
    if (server !== null) return;
    const listening = createServer(forward);
    listening.listen(port, '127.0.0.1');
    await once(listening, 'listening');
    server = listening;
  }

  async function stop(): Promise<void> {
    const listening = server;
    server = null;
    if (listening === null) return;
    const closed = new Promise((resolve) => listening.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  return {
    url: `${target.protocol}//${target.username}:${target.password}@127.0.0.1:${String(port)}${target.pathname}`,
    kind: 'proxy',
    start,
    stop,
    close: stop,
  };
}

async function createPrivateRabbitMq(): Promise<PrivateRabbitMq> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-rabbitmq-'));
  const port = await freePort();
  const distPort = await freePort();
  const nodeName = `e2e${String(port)}@localhost`;
  const url = `amqp://guest:guest@127.0.0.1:${String(port)}`;
  await writeFile(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${String(port)}\n`);
  await writeFile(join(dir, 'enabled_plugins'), '[].\n');
  // Replaces /etc/rabbitmq/rabbitmq-env.conf, whose NODENAME is the shared broker's.
  await writeFile(join(dir, 'rabbitmq-env.conf'), '');
  await giveToRabbitmqUser(dir);
  const env = {
    PATH: process.env.PATH ?? '',
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'node.pid'),
  };
  let node: ChildProcess | null = null;
  let output = '';

  async function start(): Promise<void> {
    const child = spawn('rabbitmq-server', [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    node = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const deadline = Date.now() + 120_000;
    while (!(await acceptsConnections(url))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the private RabbitMQ node did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function stop(): Promise<void> {
    const child = node;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    await run('rabbitmqctl', ['-n', nodeName, 'shutdown'], { env });
    await exited;
    node = null;
  }

  return {
    url,
    kind: 'private-node',
    start,
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
