/**
 * The deployment files (Dockerfile, .dockerignore, docker-compose.yml, .env.example) checked without Docker: the Compose
 * Specification's JSON schema and best-practice rules (dclint), the Dockerfile's syntax (dockerfile-utils, the VS Code
 * Docker extension's validator), and what our deployment relies on. hadolint and `docker compose config` run where they
 * are installed; elsewhere their tests are skipped, saying why.
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { DCLinter } from "dclint";
import { type Copy, DockerfileParser, type Env, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import ms, { type StringValue } from "ms";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/config.js";
import { PROJECT_DIR } from "../fixtures/knowledge.js";

// A CommonJS module whose typings declare an ES default export.
const dockerignore = createRequire(import.meta.url)("@balena/dockerignore") as typeof import("@balena/dockerignore").default;

const COMPOSE_FILE = path.join(PROJECT_DIR, "docker-compose.yml");
const DOCKERFILE = path.join(PROJECT_DIR, "Dockerfile");
const APP_IMAGE = "terrinclus-assistant";

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  container_name?: string;
  environment?: Record<string, string>;
  env_file?: string | string[];
  healthcheck?: { test: string | string[] };
  ports?: string[];
  restart?: string;
  stop_grace_period?: string;
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** What dclint says of a file (its typings do not resolve under NodeNext). */
interface LintMessage {
  line: number;
  rule: string;
  message: string;
}

/** One stage of the Dockerfile: its instructions in order. */
type Stage = Instruction[];

function stages(dockerfile: string): Stage[] {
  const out: Stage[] = [];
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions()) {
    if (instruction.getKeyword() === "FROM") out.push([]);
    out.at(-1)?.push(instruction);
  }
  return out;
}

const args = (instruction: Instruction) => instruction.getArguments().map((a) => a.getValue());
const copyFrom = (instruction: Instruction) =>
  (instruction as Copy)
    .getFlags()
    .find((f) => f.getName() === "from")
    ?.getValue() ?? undefined;
const envOf = (stage: Stage) => Object.fromEntries(stage.filter((i) => i.getKeyword() === "ENV").flatMap((i) => (i as Env).getProperties().map((p) => [p.getName(), p.getValue() ?? ""])));
const lastOf = (stage: Stage, keyword: string) => stage.filter((i) => i.getKeyword() === keyword).at(-1);
const workdirOf = (stage: Stage) => args(lastOf(stage, "WORKDIR")!)[0]!;

/** The services built from our Dockerfile (bots and worker), as opposed to Redis. */
const appServices = (compose: Compose) => Object.entries(compose.services).filter(([, s]) => s.build !== undefined || s.image?.startsWith(`${APP_IMAGE}:`));
const healthTest = (service: Service) => [service.healthcheck?.test ?? []].flat().join(" ");
/** The published (host) part of a port entry, if any: "127.0.0.1:8081:3000" → "8081"; "3000" → undefined. */
const publishedPort = (entry: string) => {
  const parts = entry.split(":");
  return parts.length > 1 ? parts.at(-2) : undefined;
};
const namedVolumeAt = (service: Service, target: string) => service.volumes?.map((v) => v.split(":")).find(([source, mountedAt]) => mountedAt === target && !source!.startsWith(".") && !source!.startsWith("/"))?.[0];

/** Whether `command` is installed: it answers `probe` (its version) with status 0. */
function available(command: string, probe: string[]): boolean {
  return spawnSync(command, probe, { stdio: "ignore" }).status === 0;
}

/** How to run Docker Compose v2 here: the plugin, else a standalone docker-compose v2; undefined when neither. */
function composeCommand(): string[] | undefined {
  if (available("docker", ["compose", "version"])) return ["docker", "compose"];
  const standalone = spawnSync("docker-compose", ["version", "--short"], { encoding: "utf8" });
  return standalone.status === 0 && /^v?2\./.test(standalone.stdout.trim()) ? ["docker-compose"] : undefined;
}

describe("deployment files", () => {
  let composeText: string;
  let compose: Compose;
  let dockerfileText: string;
  let envExample: Record<string, string>;

  beforeAll(async () => {
    composeText = await readFile(COMPOSE_FILE, "utf8");
    compose = parse(composeText, { merge: true }) as Compose;
    dockerfileText = await readFile(DOCKERFILE, "utf8");
    envExample = parseEnv(await readFile(path.join(PROJECT_DIR, ".env.example"), "utf8")) as Record<string, string>;
  });

  describe("linters", () => {
    it("docker-compose.yml passes the Compose Specification schema and dclint's rules", () => {
      const [result] = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] }).lintFiles([COMPOSE_FILE], false);
      expect(result!.messages.map((m: LintMessage) => `${m.line}: ${m.rule}: ${m.message}`)).toEqual([]);
    });

    it("dclint reports a file the schema refuses (the check can fail)", async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-compose-"));
      try {
        const file = path.join(dir, "docker-compose.yml");
        await writeFile(file, "services:\n  worker:\n    image: x:1\n    restart: unless-stopped\n    stop_grace_period: [15s]\n");
        const [result] = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] }).lintFiles([file], false);
        expect(result!.messages.map((m: LintMessage) => m.rule)).toContain("invalid-schema");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("the Dockerfile has no finding of dockerfile-utils' validator, which finds them in a broken one", () => {
      expect(validate(dockerfileText).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
      expect(validate("FROM node:20\nCOPY src\nHEALTHCHECK --interval=soon CMD true\n").length).toBeGreaterThanOrEqual(2);
    });

    it("hadolint Dockerfile", (ctx) => {
      ctx.skip(!available("hadolint", ["--version"]), "hadolint is not on PATH (Debian bookworm does not package it)");
      const run = spawnSync("hadolint", [DOCKERFILE], { encoding: "utf8" });
      expect(run.status, run.stdout + run.stderr).toBe(0);
    });

    it("docker compose config -q", async (ctx) => {
      const command = composeCommand();
      ctx.skip(!command, "Docker Compose v2 is not installed (neither the docker compose plugin nor docker-compose v2)");
      // In a copy beside .env.example as .env: the file's env_file (.env) must exist, and the checkout's own .env is never read.
      const dir = await mkdtemp(path.join(os.tmpdir(), "terrinclus-compose-"));
      try {
        await copyFile(COMPOSE_FILE, path.join(dir, "docker-compose.yml"));
        await copyFile(path.join(PROJECT_DIR, ".env.example"), path.join(dir, ".env"));
        const run = spawnSync(command![0]!, [...command!.slice(1), "config", "-q"], { cwd: dir, encoding: "utf8" });
        expect(run.status, run.stdout + run.stderr).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe("docker-compose.yml", () => {
    it("runs Redis from the official image with append-only persistence on a named volume, a healthcheck, and no published port", () => {
      const redis = compose.services.redis!;
      expect(redis.image).toMatch(/^redis:\d/);
      expect(redis.command?.join(" ")).toMatch(/--appendonly yes\b/);
      expect(namedVolumeAt(redis, "/data")).toBeDefined();
      expect(healthTest(redis)).toMatch(/redis-cli ping/);
      expect(redis.ports ?? []).toEqual([]);
    });

    it("runs the Telegram bot, the Slack app and the reminders' worker as services of our image", () => {
      const commands = Object.fromEntries(appServices(compose).map(([name, s]) => [name, s.command?.[0]]));
      expect(commands).toEqual({ telegram: "telegram", slack: "slack", worker: "worker" });
    });

    it("gives every service of our image a /healthz healthcheck, restart unless-stopped, .env, and a stop grace period beyond the shutdown deadline", () => {
      const defaultDeadline = ConfigSchema.parse({}).SHUTDOWN_TIMEOUT_MS;
      for (const [name, service] of appServices(compose)) {
        expect(healthTest(service), name).toMatch(/\/healthz/);
        expect(service.restart, name).toBe("unless-stopped");
        expect([service.env_file].flat(), name).toContain(".env");
        const deadline = Number(service.environment?.SHUTDOWN_TIMEOUT_MS ?? defaultDeadline);
        // Docker sends SIGKILL after stop_grace_period: the process's own deadline must pass first, with room to exit.
        expect(ms((service.stop_grace_period ?? "10s") as StringValue), name).toBeGreaterThanOrEqual(deadline + 2000);
      }
    });

    it("lets the worker scale: no fixed host port, no container name", () => {
      const worker = compose.services.worker!;
      expect(worker.container_name).toBeUndefined();
      expect((worker.ports ?? []).filter((p) => publishedPort(p) !== undefined)).toEqual([]);
    });

    it("keeps the reminders' worker out of the bots, which publish only on loopback, to the port the process listens on", () => {
      for (const [name, service] of appServices(compose).filter(([, s]) => s.command?.[0] !== "worker")) {
        expect(service.environment?.REMINDERS_WORKER, name).toBe("off");
        for (const entry of service.ports ?? []) {
          expect(entry, name).toMatch(/^127\.0\.0\.1:/);
          expect(entry.split(":").at(-1), name).toBe(service.environment?.PORT);
        }
      }
    });

    it("shares one index volume between the services of our image, mounted on the parent of INDEX_DIR (the swap renames inside it), as the image builds it", () => {
      const runtime = stages(dockerfileText).at(-1)!;
      const imageIndexDir = envOf(runtime).INDEX_DIR;
      const volumes = appServices(compose).map(([name, service]) => {
        const indexDir = service.environment?.INDEX_DIR;
        expect(indexDir, name).toBe(imageIndexDir);
        const volume = namedVolumeAt(service, path.posix.dirname(indexDir!));
        expect(volume, `${name}: a named volume on ${path.posix.dirname(indexDir!)}`).toBeDefined();
        return volume;
      });
      expect(new Set(volumes).size).toBe(1);
      expect(Object.keys(compose.volumes ?? {})).toContain(volumes[0]);
    });

    it("gives the worker the pilots' plans and the kit's sheets, where the configuration looks for them in the image", () => {
      const workdir = workdirOf(stages(dockerfileText).at(-1)!);
      const defaults = ConfigSchema.parse({});
      const worker = compose.services.worker!;
      const targets = worker.volumes?.map((v) => v.split(":")[1]);
      expect(targets).toContain(path.posix.resolve(workdir, worker.environment?.PILOTS_DIR ?? defaults.PILOTS_DIR));
      expect(targets).toContain(path.posix.resolve(workdir, worker.environment?.KNOWLEDGE_DIR ?? defaults.KNOWLEDGE_DIR));
    });

    it("sets only configuration variables the assistant reads, and references only variables .env.example lists", () => {
      const known = new Set(Object.keys(ConfigSchema.shape));
      for (const [name, service] of appServices(compose)) {
        expect(
          Object.keys(service.environment ?? {}).filter((v) => !known.has(v)),
          name,
        ).toEqual([]);
      }
      const referenced = [...composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
      expect(referenced.length).toBeGreaterThan(0);
      expect(referenced.filter((v) => !(v in envExample))).toEqual([]);
    });
  });

  describe("Dockerfile and .dockerignore", () => {
    it("copies from the build context only files that exist and that .dockerignore lets through", async () => {
      const ignored = dockerignore().add((await readFile(path.join(PROJECT_DIR, ".dockerignore"), "utf8")).split("\n"));
      const sources = stages(dockerfileText)
        .flat()
        .filter((i) => i.getKeyword() === "COPY" && copyFrom(i) === undefined)
        .flatMap((i) => args(i).slice(0, -1));
      expect(sources).toContain(".npmrc");
      expect(sources.filter((s) => !existsSync(path.join(PROJECT_DIR, s)))).toEqual([]);
      expect(sources.filter((s) => ignored.ignores(s))).toEqual([]);
      expect([".env", ".git/config", "node_modules/zod/package.json", ".index/manifest.json", "pilots/exemple-evaluation-conjointe.yaml"].filter((p) => !ignored.ignores(p))).toEqual([]);
    });

    it("puts in the runtime image everything the package ships (package.json files), as a user other than root", async () => {
      const runtime = stages(dockerfileText).at(-1)!;
      const workdir = workdirOf(runtime);
      const copied = runtime.filter((i) => i.getKeyword() === "COPY").map((i) => path.posix.resolve(workdir, args(i).at(-1)!));
      const { files } = JSON.parse(await readFile(path.join(PROJECT_DIR, "package.json"), "utf8")) as { files: string[] };
      expect(files.map((f) => path.posix.resolve(workdir, f)).filter((f) => !copied.includes(f))).toEqual([]);
      const user = lastOf(runtime, "USER");
      expect(user && args(user)[0]).not.toMatch(/^(root|0)?$/);
    });
  });
});
