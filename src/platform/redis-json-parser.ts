// How realtime events travel between processes through Redis (socket.io's Redis adapter and
// emitter). Our events are plain JSON, and V8's JSON is native: decoding a 3 kB event with it
// costs a fraction of the default MessagePack decoder written in JavaScript, on every web
// node, for every event. Every web node and worker must use the same parser.
export const redisJsonParser = {
  encode: (value: unknown): string => JSON.stringify(value),
  // The adapter decodes outside any try: a message that is not JSON (a node still on the old
  // MessagePack during an upgrade) would throw in Redis's event handler and end the process.
  // An empty array is what the adapter ignores ("no packet").
  decode: (message: Buffer | string): unknown => {
    try {
      return JSON.parse(typeof message === 'string' ? message : message.toString('utf8'));
    } catch {
      return [];
    }
  },
};
