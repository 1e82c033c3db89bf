#!/usr/bin/env bash
# A three-node Docker Swarm on one machine, fed by a registry (also the Nx targets of project "lab"):
#   lab.sh up                  registry + three Docker engines in containers (docker:26-dind) on the
#                              network desafios-lab, a swarm of three managers, the app images
#                              published to the registry (Nx Release), desafio4 deployed from it
#   lab.sh deploy [desafio4|desafio3]   deploy (or update) a stack on the lab's swarm, images from the registry
#   lab.sh rm [desafio4|desafio3]       remove a stack from the lab's swarm
#   lab.sh ps                  nodes, services and where each task runs
#   lab.sh down                remove the nodes, the registry, their volumes and the network
# On the host's 127.0.0.1 (the first digit is the node): 15002, 25002, 35002 → port 5002 of node 1,
# 2, 3 (users-consumer); 18888, 28888, 38888 → 8888 (web-gateway); 19090… → 9090 (Prometheus, on
# the node that runs it); 12375, 22375, 32375 → each node's Docker API; the registry on
# LAB_REGISTRY_PORT (5050; not 5000, which macOS's AirPlay Receiver holds). Nothing is published on
# other addresses.
# Environment: LAB_REGISTRY_PORT (5050), LAB_WAIT_S (300, per stack).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cmd="${1:-}"
shift || true

readonly NETWORK=desafios-lab REGISTRY_NAME=desafios-lab-registry NODES=(1 2 3)
registry_port="${LAB_REGISTRY_PORT:-5050}"
# Third-party images the stacks run; the nodes pull them from the lab's registry as well.
readonly MIRRORED=(postgres:17 redis:7 prom/prometheus:v2.53.3)

node_name() { echo "desafios-lab-node$1"; }
# The Docker API of node N, on the host's loopback (no TLS: a lab on 127.0.0.1 only).
node_host() { echo "tcp://127.0.0.1:${1}2375"; }
on_node() { local n="$1"; shift; DOCKER_HOST="$(node_host "$n")" "$@"; }
lab_exists() { [ -n "$(docker ps -aq --filter "name=^$(node_name 1)$")" ]; }
require_lab() { lab_exists || { echo "o laboratório não está de pé: rode npx nx run lab:up" >&2; exit 1; }; }

desafio_or_default() {
  case "${1:-}" in
    desafio3 | desafio4) echo "$1" ;;
    '') echo desafio4 ;;
    *) echo "desafio desconhecido: $1 (use desafio3 ou desafio4)" >&2; exit 2 ;;
  esac
}

# Bounded wait for a command to succeed.
wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "depois de ${seconds} s: ${what}" >&2; return 1; }
    sleep 0.5
  done
}

start_nodes() {
  docker network create "$NETWORK" >/dev/null
  docker run -d --name "$REGISTRY_NAME" --network "$NETWORK" --network-alias registry \
    -p "127.0.0.1:${registry_port}:5000" -v desafios-lab-registry:/var/lib/registry registry:2 >/dev/null
  for n in "${NODES[@]}"; do
    # --privileged: an engine in a container needs it. The registry is plain HTTP on the lab's
    # network, hence --insecure-registry (a real cluster uses TLS: README, "Vários nós").
    docker run -d --privileged --name "$(node_name "$n")" --hostname "lab-node$n" --network "$NETWORK" \
      -v "$(node_name "$n"):/var/lib/docker" \
      -p "127.0.0.1:${n}2375:2375" -p "127.0.0.1:${n}5002:5002" -p "127.0.0.1:${n}8888:8888" -p "127.0.0.1:${n}9090:9090" \
      docker:26-dind --insecure-registry registry:5000 >/dev/null
  done
  for n in "${NODES[@]}"; do wait_for "o Docker do nó $n não respondeu" 60 on_node "$n" docker info; done
  wait_for "o registro não respondeu" 30 node -e "fetch('http://127.0.0.1:${registry_port}/v2/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}

form_swarm() {
  on_node 1 docker swarm init --advertise-addr eth0 >/dev/null
  # Three managers: the swarm keeps its quorum (2 of 3) when any one node is lost.
  local token
  token="$(on_node 1 docker swarm join-token -q manager)"
  for n in 2 3; do on_node "$n" docker swarm join --token "$token" "lab-node1:2377" >/dev/null; done
  # desafio3's database (and its volume) lives on node 1.
  on_node 1 docker node update --label-add desafios.db=true lab-node1 >/dev/null
}

publish_images() {
  # The apps: versioned and pushed by Nx Release through @nx/docker (tools/release/release.mjs).
  # Only this engine's platform: the nodes run here (the two-platform release is e2e:arm64's).
  (cd "$root" && REGISTRY="127.0.0.1:${registry_port}" RELEASE_PLATFORMS=native node tools/release/release.mjs)
  for image in "${MIRRORED[@]}"; do
    docker image inspect "$image" >/dev/null 2>&1 || docker pull -q "$image" >/dev/null
    docker tag "$image" "127.0.0.1:${registry_port}/${image}"
    docker push -q "127.0.0.1:${registry_port}/${image}" >/dev/null
    echo "espelhado ${image} em registry:5000/${image}"
  done
}

# The tag the last release (tools/release/release.mjs) gave every app of the desafio's stack: @nx/docker
# records each as <registry>/<repository>:<tag> in tmp/<project root>/.docker-version. None (nothing
# published), a reference without a tag, or apps released apart: one line and exit 1, never a deploy
# with an empty IMAGE_TAG.
released_tag() {
  local stack_file="$root/deploy/swarm/$1.stack.yml" app file ref tag='' apps
  apps="$(sed -n 's|^ *image: "desafios/\([a-z0-9-]*\):.*|\1|p' "$stack_file")"
  [ -n "$apps" ] || { echo "lab.sh: nenhuma imagem desafios/* em ${stack_file#"$root"/}" >&2; return 1; }
  for app in $apps; do
    file="tmp/apps/$app/.docker-version"
    ref="$(cat "$root/$file" 2>/dev/null || true)"
    # A tag follows the last ':' and holds no '/' (a ':' before a '/' is a registry's port).
    if [[ "$ref" != *:* || "${ref##*:}" == */* || ! "${ref##*:}" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
      echo "lab.sh: nenhuma imagem de $app publicada ($file: ${ref:-ausente ou vazio}); publique com REGISTRY=127.0.0.1:${registry_port} npm run release:images" >&2
      return 1
    fi
    if [ -n "$tag" ] && [ "${ref##*:}" != "$tag" ]; then
      echo "lab.sh: $app foi publicada como ${ref##*:}, as outras como $tag; publique todas juntas com REGISTRY=127.0.0.1:${registry_port} npm run release:images" >&2
      return 1
    fi
    tag="${ref##*:}"
  done
  echo "$tag"
}

deploy() {
  local desafio="$1" tag
  tag="$(released_tag "$desafio")" || exit 1
  # swarm.sh itself, against node 1's engine; image names as the nodes reach the registry. Prometheus
  # published: a node's ports reach only the host's loopback (start_nodes: -p 127.0.0.1:…).
  DOCKER_HOST="$(node_host 1)" REGISTRY=registry:5000 MIRROR_REGISTRY=registry:5000 IMAGE_TAG="$tag" \
    SWARM_WAIT_S="${LAB_WAIT_S:-300}" STACK="$desafio" SWARM_PUBLISH_PROMETHEUS=1 PROMETHEUS_PORT=9090 USERS_CONSUMER_PORT=5002 WEB_PORT=8888 \
    bash "$root/deploy/swarm/swarm.sh" deploy "$desafio"
}

case "$cmd" in
  up)
    if lab_exists; then
      echo "o laboratório já existe ($(node_name 1)…); para recriar: npx nx run lab:down" >&2
      exit 1
    fi
    started=$SECONDS
    start_nodes
    form_swarm
    echo "swarm de 3 nós em $((SECONDS - started)) s"
    publish_images
    deploy desafio4
    on_node 1 docker node ls
    echo "laboratório pronto em $((SECONDS - started)) s: http://127.0.0.1:15002 (nó 1), :25002 (nó 2), :35002 (nó 3)"
    ;;
  deploy)
    require_lab
    desafio="$(desafio_or_default "${1:-}")"
    deploy "$desafio"
    ;;
  rm)
    require_lab
    desafio="$(desafio_or_default "${1:-}")"
    DOCKER_HOST="$(node_host 1)" bash "$root/deploy/swarm/swarm.sh" rm "$desafio"
    ;;
  ps)
    require_lab
    on_node 1 docker node ls
    for stack in $(on_node 1 docker stack ls --format '{{.Name}}'); do
      echo
      on_node 1 docker stack services "$stack"
      on_node 1 docker stack ps --filter desired-state=running --format 'table {{.Name}}\t{{.Node}}\t{{.CurrentState}}' "$stack"
    done
    ;;
  down)
    docker rm -f "$(node_name 1)" "$(node_name 2)" "$(node_name 3)" "$REGISTRY_NAME" >/dev/null 2>&1 || true
    docker volume rm "$(node_name 1)" "$(node_name 2)" "$(node_name 3)" desafios-lab-registry >/dev/null 2>&1 || true
    docker network rm "$NETWORK" >/dev/null 2>&1 || true
    echo "laboratório removido"
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
