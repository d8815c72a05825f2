import type { Scenario } from '../scenario';
import { constructorScenarios } from './constructor';
import { shapeScenarios } from './shape';

export const scenarios: Scenario[] = [...constructorScenarios, ...shapeScenarios];
