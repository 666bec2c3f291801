// Every op family, registered on import.
import './casts';
import './elementwise';
import './factories';
import './joins';
import './masking';
import './products';
import './reductions';
import './shape';
import './softmax';
import './functional';
import './packing';
import './attention';
import './sorting';

export { callOp, findOp, opNames } from './registry';
