# Builds the registry into a small image. The templ code and the front-end
# assets are committed, so the build needs neither templ nor npm.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/registry ./cmd/registry

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /nonexistent registry
COPY --from=build /out/registry /usr/local/bin/registry
USER registry
ENV REGISTRY_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/registry"]
CMD ["serve"]
