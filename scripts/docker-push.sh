#!/usr/bin/env bash
# Pushes desafios/<app>:latest to a registry, for swarms of several machines: every node pulls the
# image from there (docker stack deploy only finds local images on the node that built them).
#   REGISTRY=registry.example.com:5000 [IMAGE_TAG=1.0.0] bash scripts/docker-push.sh users-service
#   REGISTRY=registry.example.com:5000 npx nx run-many -t docker-push
# Without REGISTRY it explains and exits 0 doing nothing (a single-node swarm needs no registry).
set -euo pipefail
app="${1:?uso: docker-push.sh APP}"
source_image="desafios/${app}:latest"
if [ -z "${REGISTRY:-}" ]; then
  echo "${app}: REGISTRY não definido, nada enviado. Num swarm de uma máquina a imagem local basta;"
  echo "com vários nós, defina o registro: REGISTRY=meu-registro:5000 npx nx run-many -t docker-push"
  exit 0
fi
target="${REGISTRY%/}/desafios/${app}:${IMAGE_TAG:-latest}"
docker image inspect "$source_image" >/dev/null 2>&1 || {
  echo "${app}: imagem ${source_image} não existe; rode antes: npx nx run ${app}:docker-build" >&2
  exit 1
}
docker tag "$source_image" "$target"
docker push "$target"
echo "${app}: enviado ${target}"
