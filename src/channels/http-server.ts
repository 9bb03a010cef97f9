/**
 * One HTTP server shared by the channels of a process (the Telegram webhook and Slack's HTTP receiver on one port):
 * each registers its path. It also serves `GET /healthz` (liveness: `ok`), `GET /readyz` (200 when every readiness
 * check passes, else 503 with a JSON body naming what is not ready) and `GET /metrics` (Prometheus); anything else is 404.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { metricsText, withTimeout } from "../shared/metrics.js";
import type { Service } from "./service.js";

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A readiness check: resolves with why the part is not ready, or undefined when it is. */
export type ReadinessCheck = () => Promise<string | undefined> | string | undefined;

/** How long one readiness check may take before it counts as not ready. */
const CHECK_TIMEOUT_MS = 2000;

/** The process's HTTP server: the channels' POST routes plus the health, readiness and metrics endpoints. */
export class HttpServer implements Service {
  private readonly routes = new Map<string, RouteHandler>();
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly server = http.createServer((req, res) => this.dispatch(req, res));

  constructor(private readonly wantedPort: number) {}

  /** Serves `POST path` with `handler` (routes may be added after the server started). */
  route(path: string, handler: RouteHandler): void {
    if (this.routes.has(path)) throw new Error(`two channels want ${path}`);
    this.routes.set(path, handler);
  }

  /** Adds a check `/readyz` runs (`name` labels its reason in the body). */
  readiness(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  get name(): string {
    return `http server :${this.wantedPort}`;
  }

  /** The listening port (after `start()`). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Listens on the wanted port (0: any free one); rejects when it cannot (port taken). */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.wantedPort, () => resolve());
    });
  }

  /** Stops taking connections, closes the idle ones, and resolves once the requests in progress are answered. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await closed;
  }

  /** Every check's result: the names of the parts not ready with their reasons (empty when ready). */
  async notReady(): Promise<Record<string, string>> {
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const reason = await withTimeout(Promise.resolve().then(check), CHECK_TIMEOUT_MS).catch((error: Error) => error.message);
        return [name, reason] as const;
      }),
    );
    return Object.fromEntries(results.filter((r): r is readonly [string, string] => r[1] !== undefined));
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && path === "/healthz") return void res.writeHead(200).end("ok");
    if (req.method === "GET" && path === "/readyz") return void this.ready(res);
    if (req.method === "GET" && path === "/metrics") return void this.metrics(res);
    const handler = req.method === "POST" ? this.routes.get(path) : undefined;
    if (!handler) return void res.writeHead(404).end();
    handler(req, res);
  }

  private async ready(res: http.ServerResponse): Promise<void> {
    const notReady = await this.notReady();
    const ready = Object.keys(notReady).length === 0;
    res.writeHead(ready ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(ready ? { ready, checks: [...this.checks.keys()] } : { ready, notReady }));
  }

  private async metrics(res: http.ServerResponse): Promise<void> {
    try {
      const { contentType, body } = await metricsText();
      res.writeHead(200, { "content-type": contentType }).end(body);
    } catch (error) {
      res.writeHead(500).end((error as Error).message);
    }
  }
}

/** A readiness check on a Redis connection: PING answered. */
export function redisReadiness(redis: { ping(): Promise<string> }): ReadinessCheck {
  return async () => {
    try {
      await redis.ping();
      return undefined;
    } catch (error) {
      return `Redis does not answer (${(error as Error).message})`;
    }
  };
}
