# syntax=docker/dockerfile:1
# The Dapr binaries of the official image on a base that has a shell. daprio/dapr is distroless (dapr's
# docker/Dockerfile: gcr.io/distroless/static:nonroot, binaries in /), and daprd takes Sentry's trust anchors only
# from the environment (DAPR_TRUST_ANCHORS, cmd/daprd/options/options.go), so an entry point must read them from a
# file first: env-from-files.sh. Built by docker-compose.yml with context compose/, for daprd, sentry, placement,
# scheduler and the secrets one-shots; DAPR_VERSION is the one pinned in scripts/versions.env.
ARG DAPR_VERSION=1.18.2
ARG BASE_IMAGE=alpine:3.22

FROM daprio/dapr:${DAPR_VERSION} AS dapr

FROM ${BASE_IMAGE}
# The binaries are static (CGO_ENABLED=0), so they run on musl as on distroless; alpine brings the CA bundle.
COPY --from=dapr /daprd /sentry /placement /scheduler /
COPY env-from-files.sh secrets-init.sh /usr/local/bin/
# Named volumes take the owner of the folder they are first mounted on: these are the binaries' user's.
RUN mkdir -p /credentials /trust /data /secrets && chown 65532:65532 /credentials /trust /data
WORKDIR /
USER 65532:65532
ENTRYPOINT ["/bin/sh", "/usr/local/bin/env-from-files.sh"]
CMD ["./daprd", "--version"]
