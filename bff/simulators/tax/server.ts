import { main } from '../common/run';
import { taxSimulator } from './index';

main(taxSimulator);
