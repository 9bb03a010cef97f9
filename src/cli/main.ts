#!/usr/bin/env node
/** The `terrinclus` command line: the one place where the parts are wired together. */
import { Command } from "commander";
import { runCheck } from "./commands/check.js";

const program = new Command()
  .name("terrinclus")
  .description("TERRINCLUS assistant: the ADF kit on international cooperation for economic and social inclusion")
  .showHelpAfterError();

program
  .command("check")
  .description("validate the knowledge base (front matter, translations, links, sheet lengths, glossary)")
  .option("--dir <dir>", "knowledge directory", process.env.KNOWLEDGE_DIR ?? "knowledge")
  .option("--json", "one JSON object on standard output")
  .action(async (opts: { dir: string; json?: boolean }) => {
    process.exitCode = await runCheck(opts.dir, opts);
  });

await program.parseAsync();
