/** The audio front end's public API: decode, resample, crop/tile, load a clip. */
export { decodeAudioFile, decodeAudioBytes, type DecodedAudio } from './decode.js';
export { AudioFileError, isAudioFileError } from './audio-error.js';
export { resample, createResampler, type Resampler, type ResamplerQuality } from './resample.js';
export { fitClip, clipLength, cropRng } from './clip.js';
export { loadClip, loadResampled } from './load-clip.js';
export { sniffContainer, type AudioContainer } from './sniff.js';
