# The bench's load generator: wrk from Debian, in the apps' base image, run on the bench's own
# Docker network (apps/bench/src/stack.ts) so that load reaches each container by name.
FROM node:24-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends wrk \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
USER node
