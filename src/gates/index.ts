export { type GateInput, type GateType, type ResolvedGateConfig, resolveGateConfig } from '../config/gate-config.js';
export { type BalanceKind, type ResolvedRoutingConfig, type RoutingMode, resolveRoutingConfig } from '../config/routing.js';
export type { Gate, GateApplyOptions, GateOutput } from './gate.js';
export { type BuildGateOptions, buildGate } from './build-gate.js';
export { STANDARD_GATE_TOKENS } from './transformer-gate.js';
export { type RouteOptions, type Routed, route, topKMask } from './routing.js';
export { balanceLoss, cv2, cv2Loss, switchLoss } from './balance.js';
