import { main } from '../common/run';
import { smsSimulator } from './index';

main(smsSimulator);
