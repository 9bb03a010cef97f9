/**
 * The real product process for load and fault runs: `node dist/cli/main.js start` (what `npm start` runs), its
 * JSON logs (pino, standard error) collected line by line, its HTTP server probed, stopped with SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(PROJECT_DIR, "dist/cli/main.js");

/** One parsed log line (pino JSON), or `{ msg: <raw line> }` for anything else written to standard error. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** A free TCP port on loopback (there is a small race until it is used). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Builds the shipped knowledge base's index into a temporary directory with the built command line. */
export async function builtIndex(): Promise<{ dir: string; remove(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "terrinclus-bench-index-"));
  const dir = path.join(root, "index");
  const run = spawnSync(process.execPath, [CLI, "ingest", "--dir", path.join(PROJECT_DIR, "knowledge"), "--out", dir], { cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, LOG_LEVEL: "warn" } });
  if (run.status !== 0) throw new Error(`ingest failed (${run.status}): ${run.stderr}`);
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}

export class AppProcess {
  readonly logs: LogLine[] = [];
  private exit?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    /** The port of `/healthz`, `/readyz` and `/metrics`. */
    readonly port: number,
  ) {
    let partial = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) this.logs.push(parseLine(line));
    });
    child.stdout!.resume();
    this.exited = new Promise((resolve) =>
      child.on("close", (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
  }

  /**
   * Spawns `terrinclus start` with `env` (over a clean copy of this process's environment: no `.env` values, no
   * inherited tokens) and waits until `/readyz` answers 200 and the log says `listening` of every channel (`/readyz`
   * turns 200 before the channels' routes are registered). `port` is the process's PORT.
   */
  static async start(env: Record<string, string>, port: number, listening: RegExp[] = [], timeoutMs = 60_000): Promise<AppProcess> {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TELEGRAM_|SLACK_|LLM_|OPENAI_|REDIS_URL|PORT|METRICS_PORT|PILOTS_DIR)/.test(k)));
    const child = spawn(process.execPath, [CLI, "start"], { cwd: PROJECT_DIR, env: { ...base, LOG_LEVEL: "info", ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    const app = new AppProcess(child, Number(env.METRICS_PORT ?? port));
    const deadline = Date.now() + timeoutMs;
    const ready = async () => listening.every((m) => app.logged(m).length) && (await app.get("/readyz").catch(() => undefined))?.status === 200;
    while (!(await ready())) {
      if (app.exit) throw new Error(`terrinclus start exited (${app.exit.code ?? app.exit.signal}) before it was ready:\n${app.tail()}`);
      if (Date.now() > deadline) {
        await app.stop();
        throw new Error(`terrinclus start not ready within ${timeoutMs} ms:\n${app.tail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return app;
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.exit === undefined;
  }

  /** GET on the process's health server, with a deadline. */
  async get(pathname: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
    const response = await fetch(`http://127.0.0.1:${this.port}${pathname}`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  }

  /** One sample of `/metrics`: the value of each series (`name{labels}` → value). */
  async metrics(): Promise<Map<string, number>> {
    const { body } = await this.get("/metrics", 5000);
    const values = new Map<string, number>();
    for (const line of body.split("\n")) {
      const match = /^([a-z_:][\w:]*(?:\{[^}]*\})?) ([^ ]+)$/i.exec(line);
      if (match) values.set(match[1]!, Number(match[2]));
    }
    return values;
  }

  /** Log lines whose message matches. */
  logged(message: RegExp, minLevel = 0): LogLine[] {
    return this.logs.filter((l) => (l.level ?? 0) >= minLevel && message.test(String(l.msg ?? "")));
  }

  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`); resolves with the exit code and how long it took. */
  async stop(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const start = Date.now();
    if (this.alive) {
      this.child.kill("SIGTERM");
      const killer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
      await this.exited;
      clearTimeout(killer);
    }
    return { ...this.exit!, ms: Date.now() - start };
  }

  /** The last log lines, for error messages. */
  tail(lines = 20): string {
    return this.logs
      .slice(-lines)
      .map((l) => JSON.stringify(l))
      .join("\n");
  }
}

function parseLine(line: string): LogLine {
  try {
    const parsed = JSON.parse(line) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as LogLine) : { msg: line };
  } catch {
    return { msg: line };
  }
}
