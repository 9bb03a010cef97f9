/**
 * A redis-server of the benchmark's own on a free port (never the shared 6379): started, shut down and started
 * again at will, in a temporary directory that keeps its append-only file when persistence is on.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "./app-process.js";

export interface PrivateRedisOptions {
  /** Append-only persistence (jobs survive a restart); off: nothing is written to disk. */
  persistent?: boolean;
}

export class PrivateRedis {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly persistent: boolean,
  ) {}

  /** Starts a server on a free port; `redis-server` must be on the PATH. */
  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-redis-"));
    const redis = new PrivateRedis(await freePort(), dir, options.persistent ?? false);
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again), with the same port and directory, and waits until it answers PING. */
  async up(): Promise<void> {
    const persistence = this.persistent ? ["--appendonly", "yes", "--appendfsync", "everysec"] : ["--appendonly", "no"];
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--dir", this.dir, "--daemonize", "yes", "--logfile", path.join(this.dir, "redis.log")], {
      stdio: "ignore",
    });
    await new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`redis-server exited with ${code}`)))));
    const deadline = Date.now() + 10_000;
    while (!this.answers()) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} does not answer`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** `SHUTDOWN NOSAVE`: the server stops at once (with persistence on, what the append-only file holds stays). */
  async down(): Promise<void> {
    this.cli("shutdown", "nosave");
    const deadline = Date.now() + 10_000;
    while (this.answers()) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} does not stop`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    if (this.answers()) await this.down();
    await rm(this.dir, { recursive: true, force: true });
  }

  private answers(): boolean {
    return this.cli("ping").trim() === "PONG";
  }

  private cli(...args: string[]): string {
    return spawnSync("redis-cli", ["-p", String(this.port), ...args], { encoding: "utf8", timeout: 5000 }).stdout ?? "";
  }
}
