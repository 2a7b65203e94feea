#!/bin/bash
# Runs on the GPU machine from .gpu-run/ (see bench/gpu-pack.sh): Node + Dawn (Vulkan) for
# bench:gpu with the given options added, then torch_ref.py, then the scale package's step on the
# same step (python -m scale.bench); all write to $OUT.
set -u
cd "$(dirname "$0")"
for f in pack/*.deb; do dpkg -x "$f" / ; done; ldconfig
xz -dc pack/node.xz > /tmp/node && chmod +x /tmp/node
ICD=$(ls /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json /usr/local/nvidia/share/vulkan/icd.d/*.json 2>/dev/null | head -1)
[ -z "$ICD" ] && ICD=$(find /usr /etc /opt -name 'nvidia_icd*.json' 2>/dev/null | head -1)
echo "ICD=$ICD"; export VK_ICD_FILENAMES=$ICD
nvidia-smi --query-gpu=name,driver_version,memory.used --format=csv,noheader
timeout ${BENCH_S:-300} /tmp/node bench-gpu.mjs --sizes 64,128,256 --timed 30 --tfjsTimed 3 --tfjsWarmup 2 "$@" 2>&1 | grep -v XDG_RUNTIME | tee "$OUT/bench.txt"
timeout ${TORCH_S:-150} python3 torch_ref.py 64,128,256 2>&1 | tee "$OUT/torch.txt"
for settings in scale-settings/*.json; do timeout ${SCALE_S:-90} python3 -m scale.bench "$settings" 2>&1; done | tee "$OUT/scale.txt"
