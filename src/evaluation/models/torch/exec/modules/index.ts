// Every layer family, registered on import.
import './basic';
import './recurrent';

export { layerBuilder, runnableLayerKinds } from './module';
export type { LayerRuntime } from './module';
