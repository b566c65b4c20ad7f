import { main } from '../common/run';
import { medicalSimulator } from './index';

main(medicalSimulator);
