export { MemoryConnectionRegistry, type MemoryRegistryOptions } from './MemoryConnectionRegistry';
export { RedisConnectionRegistry, type RedisRegistryOptions } from './redis/RedisConnectionRegistry';
export * from './types';
export { leftVoiceOf, voiceStateOf } from './voiceState';
