# Sourced by .ci/run: puts Node of the major in .nvmrc first on PATH. When the machine's node is older, the pinned
# official build is installed once from the npm registry (package node-linux-<arch>, the node binary only) into a
# cache folder; the machine's npm then runs on it (its launcher is `#!/usr/bin/env node`).
NODE_PINNED=22.23.5
want_major="$(tr -dc '0-9' < .nvmrc)"
if [ "${NODE_PINNED%%.*}" != "$want_major" ]; then
  echo "use-node: NODE_PINNED=$NODE_PINNED does not match .nvmrc ($want_major)" >&2
  exit 2
fi
have_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$have_major" -lt "$want_major" ]; then
  case "$(uname -m)" in
    x86_64) node_arch=x64 ;;
    aarch64 | arm64) node_arch=arm64 ;;
    *) echo "use-node: no node-linux build for $(uname -m); install Node $want_major yourself" >&2; exit 2 ;;
  esac
  node_dir="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/compliance-platform-infra}/node-$NODE_PINNED-$node_arch"
  if [ ! -x "$node_dir/node_modules/node-linux-$node_arch/bin/node" ]; then
    echo "== installing Node $NODE_PINNED (node-linux-$node_arch) into $node_dir"
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-$node_arch@$NODE_PINNED"
  fi
  export PATH="$node_dir/node_modules/node-linux-$node_arch/bin:$PATH"
fi
echo "== node $(node --version), npm $(npm --version)"
