import type { Scenario } from '../scenario';
import { constructorScenarios } from './constructor';

export const scenarios: Scenario[] = [...constructorScenarios];
