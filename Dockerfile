# Liftoff's container image: a static Go binary on an empty base.
#   docker build -t liftoff .        (or: podman build --format docker -t liftoff .)
# The runtime stage holds the binary, a CA bundle, /tmp and /data, nothing
# else: no shell, no package manager. It runs as UID 10001 with group 0 and
# works under any UID whose group is 0 (OpenShift's restricted SCC).

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=0.1.0-dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/liftoff ./cmd/liftoff
# The directories the runtime stage needs, since scratch has none; COPY
# keeps their modes.
RUN mkdir -p /out/rootfs/tmp /out/rootfs/etc/ssl/certs /out/datadir/data \
 && chmod 1777 /out/rootfs/tmp && chmod 0775 /out/datadir/data \
 && cp /etc/ssl/certs/ca-certificates.crt /out/rootfs/etc/ssl/certs/

# Runtime: keep it the same as deploy/docker/Dockerfile.runtime (a test in
# deploy/ compares the two).
FROM scratch
COPY --from=build --chmod=0755 /out/liftoff /liftoff
COPY --from=build /out/rootfs/ /
COPY --from=build --chown=10001:0 /out/datadir/ /
ENV LIFTOFF_DATA_DIR=/data \
    PORT=3000 \
    LIFTOFF_METRICS_ADDR=:9458
VOLUME ["/data"]
EXPOSE 3000 9458
USER 10001:0
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/liftoff", "healthcheck"]
ENTRYPOINT ["/liftoff"]
CMD ["serve"]
