// Public API of @miscord/client. Everything the app uses is exported here; nothing else is stable.

export { installDevtoolsGlobals, type MiscordDevtools } from './devtools/installDevtoolsGlobals';
export {
  type AudioDiagnosticsSnapshot,
  checkInputDevice,
  checkMicLevel,
  checkOutput,
  checkPeers,
  checkPermission,
  checkTrack,
  formatFindings,
  type PeerDiagnostics,
  runAudioChecks,
} from './diagnostics/audioChecks';
export type { AudioFinding, FindingSeverity } from './diagnostics/types';
export { type EventMap, type Listener, TypedEmitter } from './events/TypedEmitter';
export { GatewayError, GatewayErrorCode } from './gateway/errors';
export {
  type CloseInfo,
  GatewayEvent,
  type GatewayEvents,
  type GatewayState,
  GatewayStatus,
  type SignalDispatchData,
  type SpeakingDispatchData,
  type SubscribeAckData,
  type UnsubscribeAckData,
} from './gateway/events';
export {
  GatewayConnection,
  type GatewayConnectionOptions,
  type GatewayDebugInfo,
  type VoiceStateUpdate,
} from './gateway/GatewayConnection';
export { Heartbeater, type HeartbeaterOptions } from './gateway/Heartbeater';
export {
  DefaultReconnectPolicy,
  type DefaultReconnectPolicyOptions,
  defaultReconnectDelaysMs,
  type ReconnectContext,
  type ReconnectPolicy,
} from './gateway/ReconnectPolicy';
export {
  closeGatewayConnection,
  currentGatewayConnection,
  getGatewayConnection,
} from './gateway/sharedConnection';
export {
  type VoiceStateChange,
  VoiceStateStore,
  type VoiceStateStoreEvents,
} from './gateway/VoiceStateStore';
export { ClientCloseCode, type WebSocketConstructor, type WebSocketLike } from './gateway/WebSocketLike';
export {
  createLogger,
  getLogLevel,
  type Logger,
  LogLevel,
  type LogSink,
  type Subsystem,
  setLogLevel,
  setLogSink,
} from './log/logger';
export {
  defaultScreenPresetId,
  isScreenPresetId,
  type ScreenPreset,
  ScreenPresetId,
  screenPreset,
  screenPresets,
} from './screen/presets';
export {
  type LocalShareInfo,
  type RemoteShareInfo,
  ScreenShare,
  type ScreenShareEvents,
  type StartShareOptions,
} from './screen/ScreenShare';
export type { ScreenDebugInfo, VideoFlowDebug } from './screen/screenDebug';
export {
  describeShareAudioUnavailable,
  electronSharePlatform,
  type ShareAudioPlan,
  SharePlatform,
} from './screen/shareAudio';
export { LocalStorageSettingsStore, MemorySettingsStore, type SettingsStore } from './settings/SettingsStore';
export {
  type DeviceSettings,
  defaultDeviceSettings,
  defaultVoiceSettings,
  deviceKey,
  type VoiceSettings,
  VoiceSettingsRepository,
} from './settings/VoiceSettings';
export {
  codecName,
  computeBitrate,
  computeLossFraction,
  formatStatsLine,
  selectedCandidatePair,
  snapshotOf,
  summarizeInboundAudio,
  summarizeOutboundAudio,
  summarizePeerStats,
} from './stats/rtcStats';
export type {
  CandidatePairSummary,
  CandidateType,
  InboundAudioSummary,
  OutboundAudioSummary,
  PeerStatsSummary,
  RtcStatsRecord,
  StatsSnapshot,
} from './stats/types';
export { formatVideoLine, summarizeVideoStats, type VideoStatsSummary } from './stats/video';
export { type DeviceEntry, type DevicePlan, planDeviceChange } from './voice/devices';
export { initiatorOf, isInitiator } from './voice/initiator';
export {
  loadSimplePeer,
  type SimplePeerFactory,
  type SimplePeerInit,
  type SimplePeerLike,
} from './voice/PeerConnection';
export { PushToTalk } from './voice/PushToTalk';
export {
  createLoopbackSignallingPair,
  GatewaySignallingAdapter,
  type SignallingAdapter,
  type SignalTransport,
} from './voice/SignallingAdapter';
export { dbToLevel, rmsDb, SpeakingDetector, type SpeakingDetectorOptions } from './voice/SpeakingDetector';
export {
  type AudioDiagnosis,
  type AudioProcessing,
  type DeviceFallback,
  type InputMode,
  type PeerInfo,
  type PeerStatus,
  type RemoteAudioDebug,
  type TrackDebug,
  type VoiceDebugInfo,
  type VoiceSessionEvents,
  type VoiceSessionState,
  VoiceStatus,
} from './voice/types';
export { type VoiceGateway, VoiceSession, type VoiceSessionOptions } from './voice/VoiceSession';
