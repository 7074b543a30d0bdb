declare module 'node-wav' {
  interface EncodeOptions {
    sampleRate: number;
    float?: boolean;
    bitDepth?: number;
  }
  interface Decoded {
    sampleRate: number;
    channelData: Float32Array[];
  }
  export function encode(channels: ArrayLike<number>[], options: EncodeOptions): Buffer;
  export function decode(buffer: Uint8Array): Decoded;
  const wav: { encode: typeof encode; decode: typeof decode };
  export default wav;
}
