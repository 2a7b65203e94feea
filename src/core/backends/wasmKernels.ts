import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { wasmMatMulConfig } from './wasmMatMul';
import { wasmFusedAdamConfig } from './wasmAdam';
import { wasmGatherConfig } from './wasmGather';
import { wasmConv2dBackpropFilterConfig, wasmConv2dBackpropInputConfig } from './wasmConvGradients';
import { gradeGradient, wasmGradeConfig, wasmGradeGradConfig } from './wasmGrade';
import { instanceNormGradient, wasmInstanceNormConfig, wasmInstanceNormGradConfig } from './wasmInstanceNorm';
import { wasmMirrorPadConfig, wasmReflectionPadGradConfig } from './wasmReflectionPad';
import { wasmAvgPoolGradConfig, wasmResizeNearestNeighborGradConfig } from './wasmPoolGradients';
import { meanGradient, sumGradient } from './reductionGradients';
import { wasmSliceConfig } from './wasmSlice';
import { wasmPadConfig } from './wasmPad';
import { wasmUpsampleConfig } from './wasmUpsample';
import { wasmTileConfig } from './wasmTile';
import { wasmTransposeConfig } from './wasmTranspose';
import { wasmBroadcastConfig } from './wasmBroadcast';
import { colourMomentsGradient, wasmColourMomentsConfig, wasmColourMomentsGradConfig } from './wasmColourMoments';
import { localDetailGradient, wasmLocalDetailConfig, wasmLocalDetailGradConfig } from './wasmLocalDetail';
import { reluGradients, wasmReluConfig, wasmReluGradientConfig } from './wasmRelu';
import { wasmThinFilterGradConfig } from './wasmThinFilterGrad';
import { wasmPatchColumnsAddConfig, wasmPatchRowsConfig } from './wasmPatchRows';
import { wasmUnsortedSegmentSumConfig } from './wasmSegmentSum';
import { nceCrossEntropyGradient, unitRowsGradient, wasmNceCrossEntropyConfig, wasmNceCrossEntropyGradConfig, wasmUnitRowsConfig, wasmUnitRowsGradConfig } from './wasmPatchNce';
import { heapKernelsSupported } from './simd/heapKernels';
import { wasmGemmConv2DConfig, wasmGemmFusedConv2DConfig, wasmGemmFusedMatMulConfig, wasmGemmMatMulConfig } from './wasmGemm';

let registered = false;

/**
 * Installs the gradient kernels that make training on wasm possible and fast: adds the missing
 * Conv2DBackpropFilter and UnsortedSegmentSum (gather's gradient), replaces the slow
 * Conv2DBackpropInput, routes transposed matmuls (dense-layer gradients, PatchNCE) to the fast
 * untransposed one, the upsampling and local-mean gradients to XNNPACK's pooling and depthwise
 * convolution (wasmPoolGradients.ts). Where WebAssembly has SIMD (every current browser; `simd`
 * says), also our SIMD kernels: matrix products and convolutions (our gemm), Slice reading its
 * input in place and PadV2 copying runs, the patch layouts the convolution gradients multiply,
 * the fused Adam update, instance norm, reflection padding and its gradient, GlobalGrade curves
 * and detail, the colour loss's moments, GatherV2, Tile and Transpose, the filter gradient of
 * layers with at most four outputs, (leaky) ReLUs and their gradients, nearest-neighbour
 * upsampling, PatchNCE's row normalisation and cross-entropy, Add/Sub/Multiply/RealDiv tiling
 * short-run broadcasts first, with Sum's and Mean's gradients (for every backend) spreading dy by
 * Tile instead of multiplying it by ones. Without them the layers and Adam compose tfjs ops and the
 * convolution gradients are convolutions: slower, the same results. Idempotent: the first call
 * decides.
 */
export function registerWasmTrainingKernels({ simd = heapKernelsSupported() }: { simd?: boolean } = {}): void {
  if (registered) return;
  const simdKernels = simd ? [wasmFusedAdamConfig, wasmInstanceNormConfig, wasmInstanceNormGradConfig, wasmReflectionPadGradConfig, wasmGradeConfig, wasmGradeGradConfig, wasmPatchRowsConfig, wasmPatchColumnsAddConfig, wasmThinFilterGradConfig, wasmColourMomentsConfig, wasmColourMomentsGradConfig, wasmLocalDetailConfig, wasmLocalDetailGradConfig, wasmReluGradientConfig, wasmUnitRowsConfig, wasmUnitRowsGradConfig, wasmNceCrossEntropyConfig, wasmNceCrossEntropyGradConfig] : [];
  for (const config of [wasmConv2dBackpropFilterConfig, wasmUnsortedSegmentSumConfig, ...simdKernels]) if (tf.getKernel(config.kernelName, 'wasm') == null) tf.registerKernel(config);
  for (const gradient of [instanceNormGradient, gradeGradient, colourMomentsGradient, localDetailGradient, unitRowsGradient, nceCrossEntropyGradient]) if (tf.getGradient(gradient.kernelName) == null) tf.registerGradient(gradient);
  // These two replace tfjs's own, on every backend (see reductionGradients.ts); they spread dy with
  // Tile, which is fast on wasm only with our kernel.
  if (simd) for (const gradient of [sumGradient, meanGradient]) tf.registerGradient(gradient);
  // These two call our kernel where it is registered (wasmRelu.ts), tfjs's ops elsewhere.
  if (simd) for (const gradient of reluGradients) tf.registerGradient(gradient);
  if (tf.getKernel('Conv2DBackpropInput', 'wasm') != null) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(wasmConv2dBackpropInputConfig);
  const simdReplacements: [string, (original: KernelConfig) => KernelConfig][] = [
    ['GatherV2', wasmGatherConfig],
    ['Tile', wasmTileConfig],
    ['MirrorPad', wasmMirrorPadConfig],
    ['Relu', wasmReluConfig],
    ['LeakyRelu', wasmReluConfig],
    ['ResizeNearestNeighbor', wasmUpsampleConfig],
    ['Transpose', wasmTransposeConfig],
    ['Slice', wasmSliceConfig],
    ['PadV2', wasmPadConfig],
    // After wasmMatMulConfig (below), which takes what our gemm leaves.
    ['BatchMatMul', wasmGemmMatMulConfig],
    ['_FusedMatMul', wasmGemmFusedMatMulConfig],
    ['Conv2D', wasmGemmConv2DConfig],
    ['FusedConv2D', wasmGemmFusedConv2DConfig],
    // Their short-run broadcasts go through our Tile (wasmBroadcast.ts).
    ...(['Add', 'Sub', 'Multiply', 'RealDiv'] as const).map((name): [string, (original: KernelConfig) => KernelConfig] => [name, wasmBroadcastConfig]),
  ];
  const replacements: [string, (original: KernelConfig) => KernelConfig][] = [
    ['BatchMatMul', wasmMatMulConfig],
    ['ResizeNearestNeighborGrad', wasmResizeNearestNeighborGradConfig],
    ['AvgPoolGrad', wasmAvgPoolGradConfig],
    ...(simd ? simdReplacements : []),
  ];
  for (const [name, replace] of replacements) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(replace(original));
  }
  registered = true;
}
