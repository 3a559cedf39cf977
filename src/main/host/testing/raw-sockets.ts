// Tests only: plain TCP connections to a server under test, each tracked so the test can destroy what is left, and
// the text a server sent until it closed one.
import { connect, type Socket } from 'node:net';

export class RawSockets {
  private readonly open: Socket[] = [];

  connect(port: number): Promise<Socket> {
    return new Promise((done, fail) => {
      const socket = connect(port, '127.0.0.1', () => done(socket));
      socket.on('error', fail);
      this.open.push(socket);
    });
  }

  destroyAll(): void {
    for (const s of this.open.splice(0)) s.destroy();
  }
}

/** Everything the server sent until it closed the socket. */
export function untilClosed(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return new Promise((done) => socket.once('close', () => done(text)));
}
