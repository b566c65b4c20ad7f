import { main } from '../common/run';
import { marketSimulator } from './index';

main(marketSimulator);
