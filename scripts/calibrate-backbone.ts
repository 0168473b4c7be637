/**
 * Measures the activation ranges the 8-bit backbone is built with (`onnx-quantize.ts`) and writes
 * them to libs/shared/local/src/model/backbone-ranges.json:
 * `node --import tsx scripts/calibrate-backbone.ts`. Run it when a converter or a tap changes
 * (the backbone refuses to build a graph with tensors that have no range).
 *
 * Calibration images: the bench's generator (marks "in the wild") with brands the bench never
 * scores, each seen through every training view (the negative and the channel rotation reach
 * activations the plain frames do not), so the ranges cover what training and detection feed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ObjectStore } from '@relabel/ports';
import { convertFloatNet, INCEPTION_SIZE, type NetName } from '../libs/shared/local/src/model/backbone';
import { quantizedTensors, withTensorOutputs, type TensorRanges } from '../libs/shared/local/src/model/onnx-quantize';
import { geometricFrame, INPUT_SIZE, isGeometricView, letterbox, resizeRgb, writeView, type View } from '../libs/shared/local/src/model/preprocess';
import { benchDataset } from './bench/model-bench-data';

const LABELS = 20;
const PER_LABEL = 3;
const ICON_OFFSET = 5;
const VIEWS: View[] = ['whole', 'zoomOut', 'invert', 'zoomIn', 'turnRight', 'perm'];
const SIZES: Record<NetName, number> = { mobilenet_v2_mid: INPUT_SIZE, inception_v3: INCEPTION_SIZE };

async function inputs(frames: Uint8Array[], size: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const rgb of frames)
    for (const view of VIEWS) {
      const frame = isGeometricView(view) ? await geometricFrame(rgb, view) : rgb;
      const scaled = size === INPUT_SIZE ? frame : await resizeRgb(frame, INPUT_SIZE, size);
      const pixels = new Float32Array(size * size * 3);
      writeView(scaled, isGeometricView(view) ? 'whole' : view, pixels, 0, size);
      out.push(pixels);
    }
  return out;
}

async function main() {
  const discard = { put: async () => undefined } as unknown as ObjectStore;
  const { train } = await benchDataset(discard, { labels: LABELS, trainPerLabel: PER_LABEL, testPerLabel: 0, seed: 101, iconOffset: ICON_OFFSET });
  const frames = await Promise.all(train.map((image) => letterbox(image.body)));
  const nets: Partial<Record<NetName, TensorRanges>> = {};
  for (const name of Object.keys(SIZES) as NetName[]) {
    const float = await convertFloatNet(name);
    const tensors = quantizedTensors(float);
    const session = await ort.InferenceSession.create(withTensorOutputs(float, tensors), { intraOpNumThreads: 2, graphOptimizationLevel: 'basic' });
    const ranges: TensorRanges = {};
    const size = SIZES[name];
    for (const pixels of await inputs(frames, size)) {
      const result = await session.run({ pixels_nhwc: new ort.Tensor('float32', pixels, [1, size, size, 3]) }, tensors);
      for (const tensor of tensors) {
        const data = result[tensor]!.data as Float32Array;
        let [min, max] = ranges[tensor] ?? [Infinity, -Infinity];
        for (let i = 0; i < data.length; i++) {
          if (data[i]! < min) min = data[i]!;
          if (data[i]! > max) max = data[i]!;
        }
        ranges[tensor] = [min, max];
      }
    }
    await session.release();
    nets[name] = ranges;
    console.log(`${name}: ${tensors.length} tensors on ${frames.length * VIEWS.length} inputs`);
  }
  const calibration = `${train.length} bench images (${LABELS} brands the bench does not score, seed 101) × views ${VIEWS.join(', ')}; min/max`;
  const path = join(__dirname, '../libs/shared/local/src/model/backbone-ranges.json');
  // One tensor per line, so a recalibration's diff shows what moved.
  const net = (ranges: TensorRanges) => Object.entries(ranges).map(([tensor, range]) => `    ${JSON.stringify(tensor)}: [${range.join(', ')}]`).join(',\n');
  const body = Object.entries(nets).map(([name, ranges]) => `    ${JSON.stringify(name)}: {\n${net(ranges!).replace(/^ {4}/gm, '      ')}\n    }`).join(',\n');
  writeFileSync(path, `{\n  "calibration": ${JSON.stringify(calibration)},\n  "nets": {\n${body}\n  }\n}\n`);
  console.log(`wrote ${path}`);
}

void main();
