import { main } from '../common/run';
import { hrssSimulator } from './index';

main(hrssSimulator);
