// The state of the completion service as the status bar and the menu show it.
import type { ModelRuntime } from './local/modelRuntime';

export type ServiceStatus = 'idle' | 'loading' | 'ready' | 'error' | 'disabled';

export interface ServiceState {
  status: ServiceStatus;
  backend: string;
  /** Short model name for the status bar, e.g. "qwen2.5-coder-0.5b-q8_0". */
  model: string;
  /** What went wrong and what to do, when status is 'error'. */
  message?: string;
  /** For a server backend: the host the code around the cursor goes to, and whether that leaves the machine. */
  endpoint?: { host: string; leavesMachine: boolean };
  /** For the embedded model once loaded: accelerator, GPU layers, memory, threads (and why the CPU, if it fell back). */
  runtime?: ModelRuntime;
}
