/**
 * The import arrows of src/, checked by `npm run lint` (dependency-cruiser):
 * knowledge ← retrieval ← answer ← channels ← cli; reminders know no channel (they notify through
 * the Notifier interface the channels implement); shared and config know no feature folder.
 */

/** Each folder of src/ and the folders it must not import. */
const FORBIDDEN_ARROWS = {
  knowledge: ["retrieval", "answer", "channels", "cli", "reminders"],
  retrieval: ["answer", "channels", "cli", "reminders"],
  answer: ["channels", "cli", "reminders"],
  channels: ["cli"],
  reminders: ["channels", "cli"],
  shared: ["knowledge", "retrieval", "answer", "channels", "cli", "reminders"],
  config: ["knowledge", "retrieval", "answer", "channels", "cli", "reminders"],
};

const layerRules = Object.entries(FORBIDDEN_ARROWS).map(([from, targets]) => ({
  name: `${from}-not-to-${targets.join("-")}`,
  comment: `src/${from} must not import ${targets.map((t) => `src/${t}`).join(", ")}: the arrows go knowledge ← retrieval ← answer ← channels ← cli, reminders know no channel.`,
  severity: "error",
  from: { path: `^src/${from}/` },
  to: { path: `^src/(${targets.join("|")})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-circular",
      comment: "A cycle of imports: modules that cannot be understood, tested or loaded one without the other.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-dev-dep",
      comment: "src/ ships: it must not import a devDependency (type-only imports of @types packages excepted, they vanish at build).",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"], pathNot: ["node_modules/@types/"] },
    },
    {
      name: "no-orphans",
      comment: "A module of src/ that nothing imports and that is no entry point: dead code.",
      severity: "error",
      from: { orphan: true, path: "^src/", pathNot: ["\\.d\\.ts$", "^src/cli/main\\.ts$"] },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to no file or package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // dependency-cruiser 17 cannot read TypeScript with the TypeScript 7 compiler: swc parses the sources.
    parser: "swc",
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      extensions: [".ts", ".js"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    exclude: { path: ["^dist/", "^node_modules/"] },
  },
};
