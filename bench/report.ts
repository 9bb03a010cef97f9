/** What the load, fault and fuzz runs hand back: lines of figures, and why the run is broken (if it is). */
import { pathToFileURL } from "node:url";

export interface BenchReport {
  lines: string[];
  /** Why the run is broken (empty: it is not): a crash, a lost reply. Slow figures never break a run. */
  broken: string[];
}

/** Prints a report; exit status 1 when the run is broken. */
export function printReport(report: BenchReport): void {
  console.log(report.lines.join("\n"));
  if (report.broken.length) {
    console.error(`broken run: ${report.broken.join("; ")}`);
    process.exitCode = 1;
  }
}

/** Whether the module of `url` is the script node was started with (`tsx bench/load.ts`). */
export function isMain(url: string): boolean {
  return url === pathToFileURL(process.argv[1] ?? "").href;
}
