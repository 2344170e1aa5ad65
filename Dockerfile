# syntax=docker/dockerfile:1
# Build stage: a static binary with everything (templates, static files, locales) embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/stemme ./cmd/stemme \
 && mkdir -p /out/data

# Runtime stage: no shell, no package manager, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stemme /usr/local/bin/stemme
COPY --from=build --chown=65532:65532 /out/data /data
ENV STEMME_ADDR=0.0.0.0:8080 \
    STEMME_DATA_DIR=/data
USER 65532:65532
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["/usr/local/bin/stemme"]
CMD ["serve"]
