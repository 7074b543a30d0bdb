export { type BalanceKind, type GateInput, type GateType, type ResolvedGateConfig, type ResolvedRoutingConfig, type RoutingMode, resolveGateConfig, resolveRoutingConfig } from './config.js';
export type { Gate, GateApplyOptions, GateOutput } from './gate.js';
export { type BuildGateOptions, buildGate } from './build_gate.js';
export { STANDARD_GATE_TOKENS } from './transformer_gate.js';
export { type RouteOptions, type Routed, route, topKMask } from './routing.js';
export { balanceLoss, cv2, cv2Loss, switchLoss } from './balance.js';
