#!/usr/bin/env bash
# Gathers what one call on a bare GPU machine needs to run bench:gpu beside ../shared/gpu/torch_ref.py
# into .gpu-run/ (git-ignored): the bench bundled by esbuild, the webgpu package's linux-x64 Dawn,
# Node and the Vulkan loader (../shared/gpu/pack.sh), torch_ref.py, the scale package with the
# settings `python -m scale.bench` times (bench/scaleConfigs.ts), and the script to run there.
# Then, with the device tool: command `bash .gpu-run/run.sh [bench options]`, carry [".gpu-run"].
set -eu
cd "$(dirname "$0")/.."
out=.gpu-run
mkdir -p "$out/node_modules/webgpu/dist"
npx esbuild bench/gpu.ts --bundle --platform=node --format=esm --external:webgpu --outfile="$out/bench-gpu.mjs" --log-level=warning \
  --banner:js="import { createRequire } from 'module'; const require = createRequire(import.meta.url);"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$out/node_modules/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$out/node_modules/webgpu/dist/"
cp ../shared/gpu/torch_ref.py "$out/"
mkdir -p "$out/scale" && cp scale/*.py "$out/scale/"
npx tsx bench/scaleConfigs.ts "$out/scale-settings"
cp bench/gpu-device-run.sh "$out/run.sh"
bash ../shared/gpu/pack.sh "$out/pack"
du -sh "$out"
