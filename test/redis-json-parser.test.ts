// The parser of realtime events between processes: a round trip keeps the event, and a
// message that is not JSON is dropped instead of throwing in Redis's event handler.
import { expect, it } from 'vitest';
import { redisJsonParser } from '../src/platform/redis-json-parser';

it('round-trips an adapter message and turns a foreign one into nothing the adapter acts on', () => {
  const message = ['uid-1', { type: 2, data: ['message.created', { text: 'Zoë wrote “hi”', n: 1 }], nsp: '/agents' }, { rooms: ['inbox:1'], except: [] }];
  expect(redisJsonParser.decode(Buffer.from(redisJsonParser.encode(message)))).toEqual(message);
  // MessagePack of the same shape starts with 0x93 (a 3-element array): not JSON.
  expect(redisJsonParser.decode(Buffer.from([0x93, 0xa5, 0x75, 0x69, 0x64, 0x2d, 0x31]))).toEqual([]);
});
