# syntax=docker/dockerfile:1
# What every Node image of this repository shares, written once: the package manifests, one compile of the service
# workspaces, the production dependencies of one service with the compiled code of the workspaces it imports, and
# how the image runs (node:24-slim, NODE_ENV=production, the `node` user, the service's folder as WORKDIR, a
# HEALTHCHECK on /health at APP_PORT). Each services/<folder>/Dockerfile starts `FROM base` and adds only its own
# port, command and heap limits.
#
# Build args: SERVICE, the service's folder under services/ (required); WEB_APP=true adds the Vue app (web/dist),
# for web-gateway. Build from the repository root, then hand the result to the service's file as the context `base`:
#   docker build -f services/base.Dockerfile --build-arg SERVICE=api -t image-importer/api-base .
#   docker build -f services/api/Dockerfile --build-context base=docker-image://image-importer/api-base -t image-importer/api .
# docker-compose.yml does the same: a build-only service `<image>-base` per image, named in the image's
# build.additional_contexts as `base: service:<image>-base`.
ARG NODE_IMAGE=node:24-slim
ARG WEB_APP=false

# The package manifests alone: the dependency layers below are reused until a manifest or the lockfile changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests && cp package.json package-lock.json .npmrc /manifests/ \
 && find services web -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

# Every service workspace compiled once. SERVICE is not declared here, so every image's base shares this stage;
# the end-to-end tests are not part of any image.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY services ./services
RUN node node_modules/typescript/bin/tsc -b $(find services -mindepth 2 -maxdepth 2 -name tsconfig.json ! -path 'services/e2e/*')

# The Vue app, built by Vite into web/dist, for WEB_APP=true; an empty stage for WEB_APP=false.
FROM build AS web-app-true
COPY web ./web
RUN cd web && node ../node_modules/vite/bin/vite.js build && mkdir -p /out/web && cp -R dist /out/web/

FROM scratch AS web-app-false
WORKDIR /out

FROM web-app-${WEB_APP} AS web-app

# Production dependencies of SERVICE and of the workspaces it imports, nothing else.
FROM ${NODE_IMAGE} AS prune
ARG SERVICE
WORKDIR /app
COPY --from=manifests /manifests ./
RUN test -f "services/${SERVICE}/package.json" \
   || { echo "SERVICE='${SERVICE}' is no folder under services/: pass --build-arg SERVICE=<folder>" >&2; exit 1; } \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w "services/${SERVICE}" && npm cache clean --force

# The compiled code of SERVICE and of every workspace it imports (its dependencies and theirs, as npm resolves them
# without devDependencies), each at its own path.
FROM build AS dist
ARG SERVICE
RUN workspaces=$(npm ls -w "services/${SERVICE}" --omit=dev --all --parseable | grep '/node_modules/@importer/[^/]*$' | xargs -r realpath --relative-to=. | sort -u) \
 && for dir in $workspaces; do mkdir -p "/out/$dir" && cp -R "$dir/dist" "/out/$dir/"; done \
 && test -d "/out/services/${SERVICE}/dist"

# What the service's Dockerfile starts from. An image that serves no /health (the emulators, the one-shot migration)
# declares its own HEALTHCHECK.
FROM ${NODE_IMAGE} AS runtime-base
ARG SERVICE
ENV NODE_ENV=production APP_HOST=0.0.0.0
WORKDIR /app
COPY --from=prune /app ./
COPY --from=dist /out ./
COPY --from=web-app /out ./
WORKDIR /app/services/${SERVICE}
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.APP_PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
