// Every layer family, registered on import.
import './basic';
import './cells';
import './convolution';
import './norm';
import './recurrent';
import './attention';
import './transformer';

export { layerBuilder, layerMethod, runnableLayerKinds } from './module';
export type { LayerRuntime } from './module';
