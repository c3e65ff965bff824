# ducksafe as a container: a build stage compiles the grammar and TypeScript,
# the runtime stage keeps only production dependencies and dist/.
# test/integration/deploy.test.ts runs these instructions as a script in CI,
# since no Docker engine is available there.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm install --no-audit --no-fund
COPY scripts ./scripts
COPY grammar ./grammar
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
# The cache is only a cache (the warehouse holds everything), so it stays in the container.
# Every running DuckDB query holds one of libuv's threads (4 by default), as does every file
# access: with more busy connections than threads, even metadata statements queue behind
# long scans (bench/RESULTS.md, "Clients"). libuv reads the size only at process start.
ENV NODE_ENV=production DUCKSAFE_HOST=0.0.0.0 UV_THREADPOOL_SIZE=64
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
USER node
EXPOSE 3307 9307
ENTRYPOINT ["node", "dist/src/cli.js"]
