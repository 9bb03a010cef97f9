/**
 * One HTTP server shared by the channels of a process (the Telegram webhook and Slack's HTTP receiver on one port):
 * each registers its path; `GET /healthz` answers `ok`; anything else is 404.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Service } from "./service.js";

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class HttpServer implements Service {
  private readonly routes = new Map<string, RouteHandler>();
  private readonly server = http.createServer((req, res) => this.dispatch(req, res));

  constructor(private readonly wantedPort: number) {}

  /** Serves `POST path` with `handler` (routes may be added after the server started). */
  route(path: string, handler: RouteHandler): void {
    if (this.routes.has(path)) throw new Error(`two channels want ${path}`);
    this.routes.set(path, handler);
  }

  /** The listening port (after `start()`). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.wantedPort, () => resolve());
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dispatch(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && path === "/healthz") return void res.writeHead(200).end("ok");
    const handler = req.method === "POST" ? this.routes.get(path) : undefined;
    if (!handler) return void res.writeHead(404).end();
    handler(req, res);
  }
}
