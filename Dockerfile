# Tally: `tally serve` (the Slack bot, the event endpoint, the scheduler) on Node.js 20.
# Build: docker build -t tally . — run: see compose.yaml and docs/deploy.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 is compiled from its sources here rather than fetched as a prebuilt binary
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3 --build-from-source
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
# glibc asks for transparent huge pages for the memory it maps (docs/deploy.md, "Memory and time")
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/rules ./rules
USER node
EXPOSE 3000
COPY --chown=node:node docker/healthcheck.mjs ./healthcheck.mjs
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD node healthcheck.mjs
ENTRYPOINT ["node", "bin/tally.mjs"]
CMD ["serve", "--rules", "rules"]
