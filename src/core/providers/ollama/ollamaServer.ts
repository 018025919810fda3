// Where an Ollama server is and the advice that names it, shared by Ollama chat and completion: the
// default address, the address as completion reads bantam.ollama.host, and the words of its
// endpoint (what the base URL must point at, how to get a missing model).

import type { EndpointSpec } from '../http/networkProvider';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

const OLLAMA_PORT = '11434';

/**
 * The server's URL as completion requests use it: a host without a scheme gets http:// and, unless
 * it names one, Ollama's port (so `localhost` and `:11434` work, as they did with the `ollama` npm
 * client); an explicit scheme keeps its own default port. Undefined when it is not a URL at all.
 */
export function ollamaServerUrl(host: string): string | undefined {
  let address = host;
  let explicitScheme = address.includes('://');
  if (address.startsWith(':')) {
    address = `http://127.0.0.1${address}`;
    explicitScheme = true;
  }
  if (!explicitScheme) address = `http://${address}`;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  const port = url.port || (!explicitScheme ? OLLAMA_PORT : url.protocol === 'https:' ? '443' : '80');
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return `${url.protocol}//${auth}${url.hostname}:${port}${url.pathname}`.replace(/\/$/, '');
}

/** What to do about a model the server does not have. */
export function pullHint(model: string): string {
  return `Run \`ollama pull ${model}\`.`;
}

/** The words of an Ollama endpoint (see endpointFor); the key hint is for a proxy in front of it. */
export function ollamaEndpointWords(model: string): Pick<EndpointSpec, 'name' | 'api' | 'keyHint' | 'modelMissingHint'> {
  return {
    name: 'Ollama',
    api: 'an Ollama server, such as http://127.0.0.1:11434',
    keyHint: 'Check the credentials of the proxy in front of Ollama.',
    modelMissingHint: pullHint(model),
  };
}
