# The one kjob image: every compose service (executor, driver, and later the emulator) runs it with a
# different subcommand. TypeScript runs through tsx, so the image holds sources, not a build.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx and every runtime library are production dependencies; the type checker is not needed to run.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY examples ./examples
COPY jobs ./jobs
ENTRYPOINT ["node", "bin/kjob.js"]
CMD ["--help"]
