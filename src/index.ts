export * from './dts/types';
export * from './dts/client';
