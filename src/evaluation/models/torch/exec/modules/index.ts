// Every layer family, registered on import.
import './basic';
import './cells';
import './convolution';
import './norm';
import './recurrent';

export { layerBuilder, runnableLayerKinds } from './module';
export type { LayerRuntime } from './module';
