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
COPY bin ./bin
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
# The cache is only a cache (the warehouse holds everything), so it stays in the container.
# bin/ducksafe.cjs sizes libuv's thread pool for many connections (UV_THREADPOOL_SIZE).
ENV NODE_ENV=production DUCKSAFE_HOST=0.0.0.0
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/bin ./bin
USER node
EXPOSE 3307 9307
ENTRYPOINT ["node", "bin/ducksafe.cjs"]
