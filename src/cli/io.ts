/** Standard-input batch mode shared by `ask` and `similar`: one request per line, one JSON line out, in order. */
import { createInterface } from "node:readline";

/** Handles each non-blank line of standard input in turn (trimmed) and writes each result as one JSON line. */
export async function forEachInputLine(handle: (line: string) => Promise<unknown>): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    process.stdout.write(`${JSON.stringify(await handle(line.trim()))}\n`);
  }
}

/** Writes a value to standard output as one JSON line. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
