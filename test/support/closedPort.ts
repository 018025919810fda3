// A loopback port with nothing listening on it, for "unreachable host" tests.
import { createServer, type AddressInfo } from 'node:net';

/** Binds a free port on 127.0.0.1, releases it, and returns it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
