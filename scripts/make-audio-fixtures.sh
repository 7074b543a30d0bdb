#!/usr/bin/env bash
# Regenerates tests/fixtures/audio: small real encoded files (WAV in every PCM/float depth,
# FLAC, MP3) plus broken ones, made with Debian's sox, flac and lame so the decoder tests run
# on what real encoders write. The outputs are committed; rerun this only to change them.
# Needs: apt-get install sox flac lame
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures/audio"
mkdir -p "$out"
cd "$out"
rm -f ./*.wav ./*.flac ./*.mp3

# A 440 Hz sine at half scale, 0.5 s: enough periods to measure frequency and level after
# decoding and resampling, small enough to commit. -D: no dither, so PCM is deterministic.
sine() { sox -D -n -r "$1" -c 1 "${@:2}" synth 0.5 sine 440 vol 0.5; }

sine 16000 -b 8 -e unsigned-integer pcm8-16k.wav
sine 16000 -b 16 -e signed-integer pcm16-16k.wav
sine 16000 -b 24 -e signed-integer pcm24-16k.wav
sine 16000 -b 32 -e signed-integer pcm32-16k.wav
sine 16000 -b 32 -e floating-point float32-16k.wav
sine 16000 -b 64 -e floating-point float64-16k.wav
# Stereo at 44.1 kHz with a different tone per channel: mono must be their average.
sox -D -n -r 44100 -b 16 -e signed-integer pcm16-stereo-44k.wav synth 0.5 sine 440 sine 1000 vol 0.5
# Four channels force WAVE_FORMAT_EXTENSIBLE (0xFFFE), which many small WAV readers reject.
sox -D -n -r 22050 -b 24 -e signed-integer pcm24-4ch-22k.wav synth 0.25 sine 440 sine 440 sine 440 sine 440 vol 0.5
# An encoding ablate does not read (IMA ADPCM): must be refused with a clear message.
sox -D -n -r 16000 -c 1 -e ima-adpcm adpcm-16k.wav synth 0.5 sine 440 vol 0.5

# --no-padding: flac otherwise reserves 8 KiB of metadata padding, most of a small fixture.
flac --silent --force --no-padding -o flac16-16k.flac pcm16-16k.wav
sox -D -n -r 44100 -b 24 -t flac flac24-stereo-44k.flac synth 0.5 sine 440 sine 1000 vol 0.5

lame --quiet -b 64 pcm16-stereo-44k.wav mp3-stereo-44k.mp3
lame --quiet -b 32 pcm16-16k.wav mp3-16k.mp3

# A WAV file whose name says MP3: the decoder must go by content, not by extension.
cp pcm16-16k.wav wav-named.mp3

# Broken files.
: > empty.wav
head -c 30 pcm16-16k.wav > truncated-header.wav          # RIFF header cut inside "fmt "
head -c 8000 pcm16-16k.wav > truncated-data.wav          # data chunk claims 16000 bytes, has ~7956
head -c 3000 flac16-16k.flac > truncated.flac            # stream cut mid-frame (~4.5 KiB file)
head -c 2500 mp3-stereo-44k.mp3 > truncated.mp3           # cut mid-stream; its LAME "Info" tag says 4608 bytes
# FLAC with its frame data overwritten by zeros after the header (CRC mismatches).
cp flac16-16k.flac corrupt.flac
dd if=/dev/zero of=corrupt.flac bs=1 seek=1000 count=1500 conv=notrunc status=none
# An MP3 name on bytes that are no audio at all.
printf 'this is not audio, just text pretending to be an mp3 file\n' > text.mp3
# Random bytes (from a fixed key, so the file is reproducible) with a .wav name.
head -c 4096 /dev/zero | openssl enc -aes-128-ctr -nosalt -pass pass:ablate 2>/dev/null > random-bytes.wav

ls -l "$out"
