import { main } from '../common/run';
import { paymentSimulator } from './index';

main(paymentSimulator);
