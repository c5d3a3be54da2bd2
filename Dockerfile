# One image for the worker and the API (docker-compose.yml picks the command). The build stage packs the
# package exactly as `npm pack` does for embedders (compiled dist/, type declarations, prebuilt workflow
# bundle); the runtime stage installs that tarball with production dependencies only and runs compiled
# JavaScript as the unprivileged `node` user. The test suite replays the runtime stage's steps. protobufjs 8
# goes beside the package, as the README asks of embedders: one copy for the SDK, not one per package.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY scripts/build.ts ./scripts/build.ts
COPY README.md CHANGELOG.md ./
RUN npm pack --pack-destination /pkg && mv /pkg/cs-cases-*.tgz /pkg/cs-cases.tgz

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /pkg/cs-cases.tgz /tmp/cs-cases.tgz
RUN npm init -y >/dev/null && npm install --omit=dev --no-audit --no-fund /tmp/cs-cases.tgz protobufjs@^8.8.1 && rm /tmp/cs-cases.tgz
USER node
CMD ["node", "node_modules/cs-cases/dist/worker/main.js"]
