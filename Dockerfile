# The one kjob image: every kjob service of docker-compose.yml (executor, scheduler, submit, the kusto
# emulator, the storage-cert one-shot) runs it with a different subcommand; Azurite comes from its own
# image. TypeScript runs through tsx, so the image holds sources, not a build.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx and every runtime library are production dependencies; the type checker is not needed to run.
# `npm ci` works here because the image's npm is 10.x (checked with 10.8.2 on linux/amd64: the lock file
# holds this platform's optional packages, @duckdb/node-bindings-linux-x64, @esbuild/linux-x64, …).
# npm 11 refuses the same lock file, because it lacks the entries of other platforms' optional packages
# (darwin, win32, linux-arm64): that is why the README says `npm install` for development machines.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY examples ./examples
COPY jobs ./jobs
ENTRYPOINT ["node", "bin/kjob.js"]
CMD ["--help"]
