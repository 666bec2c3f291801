// keras.applications: the pretrained image models (MobileNet, VGG16, ResNet50, InceptionV3, …) that CNN-LSTM video
// and captioning models use to encode frames. What comes out follows include_top and pooling, as each application's
// builder gives it (tf.keras 2.x and Keras 3 alike):
// - include_top=True (the default): the class scores, (None, classes), 1000 unless classes= says otherwise;
// - include_top=False, pooling='avg' or 'max': one vector per image, (None, channels);
// - include_top=False, no pooling: the last feature maps, (None, rows, cols, channels). Their rows and columns depend
//   on the image size and each architecture's strides and paddings, so they are left unknown; the rank and the
//   channels are what a layer after the model checks.
// `channels` is the width of the last feature maps; an alpha= or another argument that changes it leaves it unknown.
// The image data format is taken to be channels_last, Keras' default.
import { Origin, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { TensorValue, Value, intValue } from '../../values/value';
import { kerasTensor, noneDim } from './dims';

/** The last feature maps' channels of each application, with the default width multiplier. */
const CHANNELS: Record<string, number> = {
  MobileNet: 1024, MobileNetV2: 1280,
  VGG16: 512, VGG19: 512,
  ResNet50: 2048, ResNet101: 2048, ResNet152: 2048, ResNet50V2: 2048, ResNet101V2: 2048, ResNet152V2: 2048,
  InceptionV3: 2048, InceptionResNetV2: 1536, Xception: 2048,
  DenseNet121: 1024, DenseNet169: 1664, DenseNet201: 1920,
  NASNetMobile: 1056, NASNetLarge: 4032,
  EfficientNetB0: 1280, EfficientNetB1: 1280, EfficientNetB2: 1408, EfficientNetB3: 1536,
  EfficientNetB4: 1792, EfficientNetB5: 2048, EfficientNetB6: 2304, EfficientNetB7: 2560,
};

/** `keras.applications.MobileNet` or `keras.applications.mobilenet.MobileNet`: the application's name. */
export function kerasApplicationName(path: string): string | undefined {
  const m = /^keras\.applications\.(?:[a-z_0-9]+\.)?([A-Za-z0-9]+)$/.exec(path);
  return m && m[1] in CHANNELS ? m[1] : undefined;
}

/** The input an application declares, and its output for that input. */
export function kerasApplication(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): { input: Value; output: TensorValue } {
  // MobileNet(input_shape, alpha, depth_multiplier, dropout, include_top, weights, input_tensor, pooling, classes);
  // the others take include_top first: VGG16(include_top, weights, input_tensor, input_shape, pooling, classes).
  const mobile = name === 'MobileNet' || name === 'MobileNetV2';
  const positional = mobile
    ? (name === 'MobileNet' ? ['input_shape', 'alpha', 'depth_multiplier', 'dropout', 'include_top', 'weights', 'input_tensor', 'pooling', 'classes'] : ['input_shape', 'alpha', 'include_top', 'weights', 'input_tensor', 'pooling', 'classes'])
    : ['include_top', 'weights', 'input_tensor', 'input_shape', 'pooling', 'classes'];
  const arg = (key: string): Value | undefined => kwargs.get(key) ?? args[positional.indexOf(key)];
  const includeTop = arg('include_top');
  const top = includeTop === undefined ? true : includeTop.kind === 'bool' ? includeTop.value : undefined;
  const given = arg('input_tensor');
  const input: Value = given?.kind === 'tensor' ? given : kerasTensor(inputShape(arg('input_shape'), origin), origin);
  const batch = input.kind === 'tensor' && input.shape.rankKnown ? input.shape.dims[0] : noneDim('batch');
  if (top === undefined) return { input, output: kerasTensor(UNKNOWN_SHAPE, origin) };
  if (top) {
    const classes = arg('classes');
    const n = classes === undefined ? 1000 : intValue(classes);
    return { input, output: kerasTensor(shapeOf([batch, n === undefined ? UNKNOWN_DIM : intDim(n, { origin, role: 'feature' })]), origin) };
  }
  const alpha = arg('alpha');
  const widthKnown = alpha === undefined || (alpha.kind === 'float' && alpha.value === 1) || (alpha.kind === 'int' && alpha.value === 1);
  const channels = widthKnown && !kwargs.has('depth_multiplier') ? intDim(CHANNELS[name], { origin, role: 'feature' }) : UNKNOWN_DIM;
  const pooling = arg('pooling');
  if (pooling?.kind === 'str' && (pooling.value === 'avg' || pooling.value === 'max')) return { input, output: kerasTensor(shapeOf([batch, channels]), origin) };
  if (pooling !== undefined && pooling.kind !== 'none') return { input, output: kerasTensor(UNKNOWN_SHAPE, origin) };
  return { input, output: kerasTensor(shapeOf([batch, UNKNOWN_DIM, UNKNOWN_DIM, channels]), origin) };
}

/** `input_shape=(256, 256, 3)` with the batch axis in front; (None, None, None, 3) when it is not given. */
function inputShape(value: Value | undefined, origin: Origin) {
  if ((value?.kind === 'tuple' || value?.kind === 'list') && !value.element) {
    const dims = value.items.map((v) => {
      const n = intValue(v);
      return n === undefined ? UNKNOWN_DIM : intDim(n, { origin });
    });
    if (dims.length === 3) return shapeOf([noneDim('batch'), ...dims]);
    return UNKNOWN_SHAPE;
  }
  return shapeOf([noneDim('batch'), UNKNOWN_DIM, UNKNOWN_DIM, UNKNOWN_DIM]);
}
