/** Mono as the mean of the channels (what torchaudio users get with `wav.mean(0)`). */
export function mixToMono(channels: readonly Float32Array[], length = channels[0]?.length ?? 0): Float32Array {
  const first = channels[0];
  if (channels.length === 1 && first !== undefined && first.length === length) return first;
  const mono = new Float32Array(length);
  for (const channel of channels) for (let i = 0; i < length; i++) mono[i]! += channel[i]!;
  if (channels.length > 1) {
    const scale = 1 / channels.length;
    for (let i = 0; i < length; i++) mono[i]! *= scale;
  }
  return mono;
}

/** What every decoder returns: mono samples in [-1, 1] and the file's own rate. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the file before the mixdown (for messages and metadata). */
  channels: number;
}
