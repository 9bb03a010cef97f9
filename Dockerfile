# syntax=docker/dockerfile:1
# One image for every long-running part (docker-compose.yml: the Telegram bot, the Slack app, the reminders' worker)
# and for the one-off commands (ingest, doctor, pilots …). See the README, "Production set-up".

# Build stage: dependencies, TypeScript, and the search index of the shipped knowledge base. The compiler is there for a
# native module whose prebuilt binary does not fit the platform (msgpackr-extract, used by BullMQ, falls back to it).
FROM node:20-bookworm-slim AS build
# Debian's compiler packages follow the base image's release; pinning their versions would break on its next point release.
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The image has Node's headers under /usr/local, not /usr.
RUN sed -i 's#^nodedir=.*#nodedir=/usr/local#' .npmrc
# Dependencies alone first, so their layer is reused while only the sources change;
# `npm rebuild` runs the dependencies' install scripts, not the project's own `prepare`.
RUN npm ci --ignore-scripts && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY calibration ./calibration
RUN node dist/cli/main.js check && node dist/cli/main.js ingest --strict --out /app/index/current
RUN npm prune --omit=dev

# Runtime stage: no compiler; the application is root's and read-only, the user `node` writes only the index and data directories.
FROM node:20-bookworm-slim
# INDEX_DIR sits one level inside /app/index, the directory docker-compose.yml mounts as a volume: `ingest` writes the new
# index beside the old one there and swaps them with a rename, which a mount point itself would refuse.
ENV NODE_ENV=production \
    INDEX_DIR=/app/index/current \
    DATA_DIR=/app/data
WORKDIR /app
RUN install -d -o node -g node /app/index /app/data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/knowledge ./knowledge
COPY --from=build /app/prompts ./prompts
COPY --from=build /app/calibration ./calibration
# The index built above: a new named volume mounted on /app/index starts as a copy of it.
COPY --from=build --chown=node:node /app/index/current ./index/current
USER node
EXPOSE 3000
# Liveness of the long-running commands (start, telegram, slack, worker): GET /healthz on METRICS_PORT, else PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["start"]
