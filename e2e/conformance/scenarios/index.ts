import type { Scenario } from '../scenario';
import { constructorScenarios } from './constructor';
import { eventScenarios } from './events';
import { hostileScenarios } from './hostile';
import { robustnessScenarios } from './robustness';
import { sendCloseScenarios } from './send-close';
import { shapeScenarios } from './shape';
import { stateScenarios } from './state';
import { streamScenarios } from './stream';

export const scenarios: Scenario[] = [...constructorScenarios, ...shapeScenarios, ...stateScenarios, ...sendCloseScenarios, ...eventScenarios, ...robustnessScenarios, ...hostileScenarios, ...streamScenarios];
