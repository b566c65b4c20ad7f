import { main } from '../common/run';
import { identitySimulator } from './index';

main(identitySimulator);
