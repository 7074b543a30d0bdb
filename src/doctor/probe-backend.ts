/**
 * Child process of `ablate doctor`: set up one TensorFlow.js backend (with its self-test)
 * and print the outcome as one JSON line. A separate process per backend, because a
 * native binding that fails can abort the process loading it.
 */
import { initBackend, type BackendName } from '../nn/backend.js';

const name = process.argv[2] as BackendName;
try {
  const info = await initBackend(name);
  process.stdout.write(`${JSON.stringify({ ok: true, detail: info.detail })}\n`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stdout.write(`${JSON.stringify({ ok: false, error: message.split('\n')[0]?.replace(/^backend "[^"]+" cannot be used: /, '') })}\n`);
}
process.exit(0);
