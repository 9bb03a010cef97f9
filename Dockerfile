# syntax=docker/dockerfile:1
# Build stage: native addon (hnswlib-node), TypeScript, and the search index of the shipped knowledge base.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The image has Node's headers under /usr/local, not /usr.
RUN sed -i 's#^nodedir=.*#nodedir=/usr/local#' .npmrc
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci
COPY knowledge ./knowledge
COPY prompts ./prompts
RUN node dist/cli/main.js check && node dist/cli/main.js ingest --strict
RUN npm prune --omit=dev

# Runtime stage: no compiler, non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/knowledge ./knowledge
COPY --from=build --chown=node:node /app/prompts ./prompts
COPY --from=build --chown=node:node /app/.index ./.index
USER node
EXPOSE 3000
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["start"]
