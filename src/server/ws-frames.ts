import type { WebSocket } from 'ws';

/**
 * Largest frame a websocket accepts before its connection is acknowledged: `connection_init`
 * with an API key is a hundred bytes or so; nothing bigger is read from a stranger.
 */
export const UNAUTHENTICATED_FRAME_BYTES = 16 * 1024;

/**
 * Sets the largest message this socket accepts from now on; a longer frame closes it with 1009
 * (Message Too Big) as soon as its header announces the length, before its payload is buffered.
 * `ws` has one `maxPayload` per server and no public setter per socket, so this changes the
 * limit its Receiver checks (`_maxPayload`, ws 8); should that field ever be gone, the socket
 * keeps the server's `maxPayload` (the request size limit) and this returns false.
 * @see https://github.com/websockets/ws/blob/8.23.0/lib/receiver.js (Receiver#haveLength)
 */
export function limitFrames(socket: WebSocket, bytes: number): boolean {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (!receiver || typeof receiver._maxPayload !== 'number') return false;
  receiver._maxPayload = bytes;
  return true;
}
